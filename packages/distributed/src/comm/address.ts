/**
 * Addresses as users write them (Dask style `tcp://host:port`, `tls://host:port`) and as the
 * transport uses them (WebSocket URLs). pdask's wire is WebSocket over TCP, so `tcp://` is an alias
 * of `ws://` and `tls://` of `wss://`.
 */

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

export function parseAddress(addr: string): ParsedAddress {
  const m = /^(tcp|tls|ws|wss):\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(addr.trim());
  if (!m) {
    throw new Error(`Invalid scheduler address '${addr}': expected tcp://HOST:PORT (or tls://, ws://, wss://)`);
  }
  const port = Number(m[3]);
  if (port <= 0 || port > 65535) throw new Error(`Invalid port in address '${addr}'`);
  const protocol = m[1] as Protocol;
  return { secure: isSecure(protocol), host: m[2].replace(/^\[|\]$/g, ''), port, protocol };
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
