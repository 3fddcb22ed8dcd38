/** Where a server listens, from Dask's --host / --interface / --protocol / --listen-address. */
import { InvalidArgumentError } from 'commander';
import { networkInterfaces } from 'node:os';
import { PROTOCOLS, splitAddress, type Protocol } from '../comm/address';

/** Dask's --protocol, limited to the transports pdask has (no ucx, inproc). */
export function protocolArg(v: string): Protocol {
  const p = v.trim().toLowerCase().replace(/:\/\/$/, '');
  if ((PROTOCOLS as readonly string[]).includes(p)) return p as Protocol;
  throw new InvalidArgumentError(`pdask does not support the protocol '${v}' (it speaks ${PROTOCOLS.join(', ')}: WebSocket over TCP or TLS).`);
}

/** The IPv4 address of a network interface (Dask's --interface eth0), else its IPv6 one. */
export function interfaceHost(name: string): string {
  const all = networkInterfaces();
  const addrs = all[name];
  if (!addrs || addrs.length === 0) {
    throw new Error(`No network interface '${name}' on this machine (it has: ${Object.keys(all).join(', ') || 'none'})`);
  }
  const v4 = addrs.find((a) => a.family === 'IPv4');
  return (v4 ?? addrs[0]).address;
}

export interface ListenAddress {
  protocol: Protocol;
  host: string;
  port: number;
}

/** Dask's --listen-address / --contact-address: PROTOCOL://HOST:PORT, e.g. tcp://127.0.0.1:9000. */
export function listenAddressArg(v: string): ListenAddress {
  const parts = splitAddress(v);
  if (!parts) throw new InvalidArgumentError('Expected PROTOCOL://HOST:PORT, like tcp://127.0.0.1:9000.');
  const protocol = protocolArg(parts.scheme);
  if (parts.port > 65535) throw new InvalidArgumentError(`Port ${parts.port} is out of range 0-65535.`);
  return { protocol, host: parts.host, port: parts.port };
}
