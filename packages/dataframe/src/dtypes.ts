/** dtype names users write (`astype`, `mapPartitions`' meta) and the column types they mean. */
import type { TypeDesc } from './ops/types';
import { checkZone } from './types/timestamps';

/** The dtypes a column can be given, by their pandas names ('string' is Arrow utf8). */
export type Dtype = 'float64' | 'float32' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'bool' | 'string' | ExtraDtype;

/** pandas' masked, time and categorical dtypes (see the README's table of dtypes). */
export type ExtraDtype =
  | 'uint64'
  | 'Int8'
  | 'Int16'
  | 'Int32'
  | 'Int64'
  | 'UInt8'
  | 'UInt16'
  | 'UInt32'
  | 'UInt64'
  | 'boolean'
  | 'category'
  | 'datetime64[ns]'
  | `datetime64[ns, ${string}]`
  | 'timedelta64[ns]';

const masked = (bits: 8 | 16 | 32 | 64, signed: boolean): TypeDesc => ({ id: 'int', bits, signed, nullable: true });

const EXTRA: Record<Exclude<ExtraDtype, `datetime64[ns, ${string}]`>, TypeDesc> = {
  uint64: { id: 'int', bits: 64, signed: false },
  Int8: masked(8, true),
  Int16: masked(16, true),
  Int32: masked(32, true),
  Int64: masked(64, true),
  UInt8: masked(8, false),
  UInt16: masked(16, false),
  UInt32: masked(32, false),
  UInt64: masked(64, false),
  boolean: { id: 'bool', nullable: true },
  category: { id: 'dict', value: { id: 'utf8' }, index: { id: 'int', bits: 32, signed: true } },
  'datetime64[ns]': { id: 'timestamp', unit: 'ns', tz: null },
  'timedelta64[ns]': { id: 'duration', unit: 'ns' },
};

const DTYPES: Record<Exclude<Dtype, ExtraDtype>, TypeDesc> = {
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
  if (typeof name === 'string' && Object.prototype.hasOwnProperty.call(DTYPES, name)) return DTYPES[name as keyof typeof DTYPES];
  if (typeof name === 'string' && Object.prototype.hasOwnProperty.call(EXTRA, name)) return EXTRA[name as keyof typeof EXTRA];
  const tz = typeof name === 'string' ? /^datetime64\[ns, (.+)\]$/.exec(name) : null;
  if (tz) return { id: 'timestamp', unit: 'ns', tz: checkZone(tz[1], method) };
  throw new TypeError(`${method}: unknown dtype ${JSON.stringify(name) ?? String(name)} for ${what}; known: ${[...Object.keys(DTYPES), ...Object.keys(EXTRA), 'datetime64[ns, <tz>]'].join(', ')}`);
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
