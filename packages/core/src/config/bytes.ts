/**
 * Byte sizes as Dask's `parse_bytes` reads them: a number, or text such as '64MB', '1.5 GiB',
 * '100kB' (decimal k/M/G/T and binary KiB/MiB/GiB/TiB units). Shared by every package that takes
 * sizes (chunk sizes, block sizes, memory limits).
 */
const UNITS: Record<string, number> = {
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** Bytes in `value` (0 allowed: settings use it for "off"); `what` names the setting in errors. */
export function parseBytes(value: number | string, what = 'size'): number {
  let n: number;
  if (typeof value === 'number') n = value;
  else {
    const m = /^\s*(\d+(?:\.\d*)?(?:e[+-]?\d+)?)\s*([a-z]*)\s*$/i.exec(value);
    const unit = m ? UNITS[(m[2] || 'b').toLowerCase()] : undefined;
    if (!m || unit === undefined) throw new RangeError(`${what}: cannot read '${value}' as a byte size (e.g. 1048576, '64MB', '1 MiB')`);
    n = Number(m[1]) * unit;
  }
  if (!Number.isFinite(n) || n < 0) throw new RangeError(`${what}: must be a non-negative size, got ${String(value)}`);
  return Math.floor(n);
}
