/** Byte sizes given as numbers or text ('64MB', '1.5 GiB', '100kB'), as Dask's parse_bytes reads them. */
const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
  k: 1e3,
  m: 1e6,
  g: 1e9,
};

export function parseBytes(v: number | string, what: string): number {
  let n: number;
  if (typeof v === 'number') n = v;
  else {
    const m = /^\s*([\d.]+(?:e[+-]?\d+)?)\s*([a-z]*)\s*$/i.exec(String(v));
    const unit = m ? UNITS[(m[2] || 'b').toLowerCase()] : undefined;
    if (!m || unit === undefined) throw new RangeError(`${what}: cannot read '${v}' as a byte size (e.g. 1048576, '64MB', '1 MiB')`);
    n = Number(m[1]) * unit;
  }
  if (!Number.isFinite(n) || n < 1) throw new RangeError(`${what}: must be at least 1 byte, got ${String(v)}`);
  return Math.floor(n);
}
