/** dtype names users write (`astype`, `mapPartitions`' meta) and the column types they mean. */
import type { TypeDesc } from './ops/types';

/** The dtypes a column can be given, by their pandas names ('string' is Arrow utf8). */
export type Dtype = 'float64' | 'float32' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'bool' | 'string';

const DTYPES: Record<Dtype, TypeDesc> = {
  float64: { id: 'float', bits: 64 },
  float32: { id: 'float', bits: 32 },
  int8: { id: 'int', bits: 8, signed: true },
  int16: { id: 'int', bits: 16, signed: true },
  int32: { id: 'int', bits: 32, signed: true },
  int64: { id: 'int', bits: 64, signed: true },
  uint8: { id: 'int', bits: 8, signed: false },
  uint16: { id: 'int', bits: 16, signed: false },
  uint32: { id: 'int', bits: 32, signed: false },
  bool: { id: 'bool' },
  string: { id: 'utf8' },
};

/** The type of a dtype name, or an error naming `what` (e.g. "column 'x'") and the known names. */
export function parseDtype(name: unknown, method: string, what: string): TypeDesc {
  if (typeof name === 'string' && Object.prototype.hasOwnProperty.call(DTYPES, name)) return DTYPES[name as Dtype];
  throw new TypeError(`${method}: unknown dtype ${JSON.stringify(name) ?? String(name)} for ${what}; known: ${Object.keys(DTYPES).join(', ')}`);
}

/**
 * `{ column: dtype }` listing the columns in the frame's order. A plain object lists integer-like
 * keys ('0', '10') first whatever the insertion order, so the object's own-key order is given by a
 * Proxy: Object.keys/entries, JSON and for…in then follow the columns, as pandas' `df.dtypes` does.
 */
export function dtypesRecord(names: readonly string[], dtypes: readonly string[]): Record<string, string> {
  const target: Record<string, string> = Object.fromEntries(names.map((n, i) => [n, dtypes[i]]));
  const keys = [...names];
  return new Proxy(target, { ownKeys: () => [...keys] });
}
