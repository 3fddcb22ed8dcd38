/**
 * Addresses as users write them (Dask style `tcp://host:port`, `tls://host:port`) and as the
 * transport uses them (WebSocket URLs). pdask's wire is WebSocket over TCP, so `tcp://` is an alias
 * of `ws://` and `tls://` of `wss://`.
 */
import type { NetworkInterfaceInfo } from 'node:os';

/** The address schemes pdask speaks (Dask's `--protocol`; it has no ucx or inproc transport). */
export const PROTOCOLS = ['tcp', 'tls', 'ws', 'wss'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export function isSecure(p: Protocol): boolean {
  return p === 'tls' || p === 'wss';
}

export interface ParsedAddress {
  secure: boolean;
  host: string;
  port: number;
  /** The scheme as written (formatting defaults to tcp:// or tls://). */
  protocol?: Protocol;
}

/** SCHEME://HOST:PORT split into its parts (an IPv6 host in brackets), or undefined if it is not of that form. */
export function splitAddress(addr: string): { scheme: string; host: string; port: number } | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(\[[^\]]+\]|[^:/[\]]+):(\d+)\/?$/i.exec(addr.trim());
  return m ? { scheme: m[1], host: m[2].replace(/^\[|\]$/g, ''), port: Number(m[3]) } : undefined;
}

export function parseAddress(addr: string): ParsedAddress {
  const parts = splitAddress(addr);
  if (!parts || !(PROTOCOLS as readonly string[]).includes(parts.scheme)) {
    throw new Error(`Invalid scheduler address '${addr}': expected tcp://HOST:PORT (or tls://, ws://, wss://)`);
  }
  if (parts.port <= 0 || parts.port > 65535) throw new Error(`Invalid port in address '${addr}'`);
  const protocol = parts.scheme as Protocol;
  return { secure: isSecure(protocol), host: parts.host, port: parts.port, protocol };
}

export function formatAddress(a: ParsedAddress): string {
  const host = a.host.includes(':') ? `[${a.host}]` : a.host;
  return `${a.protocol ?? (a.secure ? 'tls' : 'tcp')}://${host}:${a.port}`;
}

export function toWsUrl(addr: string, query = ''): string {
  const a = parseAddress(addr);
  const host = a.host.includes(':') ? `[${a.host}]` : a.host;
  return `${a.secure ? 'wss' : 'ws'}://${host}:${a.port}/${query ? `?${query}` : ''}`;
}

/** Hosts that mean "every interface" when listening: no other machine can reach them by that name. */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]' || host === '';
}

/**
 * The address to publish for a server bound to every interface (Dask publishes the interface's
 * address too): the first IPv4 address of an interface that is not loopback, else a global IPv6
 * one, else the loopback address (only this machine can connect then).
 */
export function reachableHost(
  // Through getBuiltinModule: the browser client parses addresses here too, and has no node:os.
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = process.getBuiltinModule('node:os').networkInterfaces(),
): { host: string; iface: string } {
  const all = Object.entries(interfaces).flatMap(([iface, addrs]) => (addrs ?? []).map((a) => ({ iface, a })));
  const external = all.filter(({ a }) => !a.internal);
  const pick = external.find(({ a }) => a.family === 'IPv4') ?? external.find(({ a }) => a.family === 'IPv6' && !a.address.toLowerCase().startsWith('fe80:'));
  return pick ? { host: pick.a.address, iface: pick.iface } : { host: '127.0.0.1', iface: 'loopback' };
}
