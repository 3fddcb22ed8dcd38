/** Arrow vectors from the JavaScript values given to fromColumns / fromRecords. */
import { Bool, DataType, makeVector, Utf8, vectorFromArray, type Vector } from 'apache-arrow';

/** A column given as data: a typed array, or an array of numbers, strings, booleans (null = missing). */
export type ColumnInput =
  | Float64Array
  | Float32Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint32Array
  | Uint16Array
  | Uint8Array
  | BigInt64Array
  | readonly (number | null | undefined)[]
  | readonly (string | null | undefined)[]
  | readonly (boolean | null | undefined)[]
  | Vector;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  return typeof x === 'object' ? (Object.prototype.toString.call(x) as string) : `${typeof x} ${String(x)}`;
}

/**
 * The vector of one column. Arrays of numbers that are all integers in the int32 range become
 * int32 (pandas would say int64), other numbers float64 with null/undefined as NaN (as pandas).
 */
export function toVector(name: string, x: unknown, fn: string): Vector {
  if (x instanceof Object && 'data' in x && 'type' in x && (x as Vector).type instanceof DataType) return x as Vector;
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    if (x instanceof Float64Array || x instanceof Float32Array || x instanceof Int32Array || x instanceof Int16Array || x instanceof Int8Array || x instanceof Uint32Array || x instanceof Uint16Array || x instanceof Uint8Array || x instanceof BigInt64Array) {
      return makeVector(x);
    }
    throw new TypeError(`${fn}: column '${name}' is a ${Object.prototype.toString.call(x)}, which is not supported`);
  }
  if (!Array.isArray(x)) throw new TypeError(`${fn}: column '${name}' must be a typed array or an array of numbers, strings or booleans, got ${describe(x)}`);
  const first = x.find((v) => v !== null && v !== undefined);
  if (first === undefined || typeof first === 'number') {
    let ints = true;
    for (const v of x) {
      if (v === null || v === undefined) {
        ints = false;
        continue;
      }
      if (typeof v !== 'number') throw new TypeError(`${fn}: column '${name}' mixes numbers and ${typeof v}s`);
      if (ints && !(Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX)) ints = false;
    }
    if (ints && x.length > 0) return makeVector(Int32Array.from(x as number[]));
    return makeVector(Float64Array.from(x as (number | null)[], (v) => (v === null || v === undefined ? NaN : v)));
  }
  if (typeof first === 'string') {
    for (const v of x) if (v !== null && v !== undefined && typeof v !== 'string') throw new TypeError(`${fn}: column '${name}' mixes strings and ${typeof v}s`);
    return vectorFromArray((x as (string | null | undefined)[]).map((v) => v ?? null), new Utf8());
  }
  if (typeof first === 'boolean') {
    for (const v of x) if (v !== null && v !== undefined && typeof v !== 'boolean') throw new TypeError(`${fn}: column '${name}' mixes booleans and ${typeof v}s`);
    return vectorFromArray((x as (boolean | null | undefined)[]).map((v) => v ?? null), new Bool());
  }
  throw new TypeError(`${fn}: column '${name}' holds ${typeof first}s; supported are numbers, strings and booleans`);
}
