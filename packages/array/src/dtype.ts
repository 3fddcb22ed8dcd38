/**
 * Element types. pdask arrays hold one typed array per block; the dtype names follow NumPy.
 * `bool` is stored as a Uint8Array of 0/1; `int64` (NumPy's default integer) as a BigInt64Array,
 * exact over its whole range.
 */
export type DType = 'float64' | 'float32' | 'int64' | 'int32' | 'uint8' | 'bool';
/** Typed arrays whose elements are JS numbers: what the kernels and number loops take. */
export type NumericArray = Float64Array | Float32Array | Int32Array | Uint8Array;
/** The data of a block of any dtype: an int64 block holds bigints (see numberAt / asNumbers). */
export type TypedArray = NumericArray | BigInt64Array;
export type NumericArrayConstructor = Float64ArrayConstructor | Float32ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;
export type TypedArrayConstructor = NumericArrayConstructor | BigInt64ArrayConstructor;

export const DTYPES: readonly DType[] = ['float64', 'float32', 'int64', 'int32', 'uint8', 'bool'];

const ALIASES: Record<string, DType> = {
  float64: 'float64', f8: 'float64', float: 'float64', double: 'float64', '<f8': 'float64',
  float32: 'float32', f4: 'float32', single: 'float32', '<f4': 'float32',
  // NumPy's `int` is int64 on Linux and macOS (C long).
  int64: 'int64', i8: 'int64', int: 'int64', '<i8': 'int64', int_: 'int64', long: 'int64', intp: 'int64', longlong: 'int64',
  int32: 'int32', i4: 'int32', '<i4': 'int32', intc: 'int32',
  uint8: 'uint8', u1: 'uint8', '|u1': 'uint8',
  bool: 'bool', boolean: 'bool', '?': 'bool', '|b1': 'bool',
};

/** Validates a dtype name (NumPy aliases accepted); unknown names fail with the list of known ones. */
export function toDType(name: string): DType {
  const d = ALIASES[String(name).toLowerCase()];
  if (!d) throw new TypeError(`Unknown dtype '${name}': pdask arrays support ${DTYPES.join(', ')}`);
  return d;
}

export function ctorOf(dtype: DType): TypedArrayConstructor {
  switch (dtype) {
    case 'float64':
      return Float64Array;
    case 'float32':
      return Float32Array;
    case 'int64':
      return BigInt64Array;
    case 'int32':
      return Int32Array;
    case 'uint8':
    case 'bool':
      return Uint8Array;
    default:
      throw new TypeError(`Unknown dtype '${String(dtype)}'`);
  }
}

export function alloc(dtype: DType, n: number): TypedArray {
  return new (ctorOf(dtype))(n);
}

/** A typed array of `n` elements of `dtype` in a SharedArrayBuffer (crosses threads uncopied). */
export function allocShared(dtype: DType, n: number): TypedArray {
  const C = ctorOf(dtype);
  return new C(new SharedArrayBuffer(Math.max(1, n) * C.BYTES_PER_ELEMENT) as unknown as ArrayBuffer, 0, n);
}

export function itemsize(dtype: DType): number {
  return ctorOf(dtype).BYTES_PER_ELEMENT;
}

/** The dtype a typed array stores (a Uint8Array is uint8; bool has to be said explicitly). */
export function dtypeOfArray(a: ArrayBufferView): DType {
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof BigInt64Array) return 'int64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint8Array || a instanceof Uint8ClampedArray) return 'uint8';
  throw new TypeError(`Unsupported typed array ${a.constructor.name}: use Float64Array, Float32Array, BigInt64Array, Int32Array or Uint8Array`);
}

export const isFloat = (d: DType): boolean => d === 'float64' || d === 'float32';
export const isIntegral = (d: DType): boolean => d === 'int64' || d === 'int32' || d === 'uint8' || d === 'bool';

const RANK: Record<DType, number> = { bool: 0, uint8: 1, int32: 2, int64: 3, float32: 4, float64: 5 };

/** NumPy's result_type for two array operands (restricted to the supported dtypes). */
export function promote(a: DType, b: DType): DType {
  if (a === b) return a;
  // float32 cannot hold every int32 or int64 exactly: NumPy goes to float64.
  if ((a === 'float32' && (b === 'int32' || b === 'int64')) || (b === 'float32' && (a === 'int32' || a === 'int64'))) return 'float64';
  return RANK[a] >= RANK[b] ? a : b;
}

const fits = (v: number, lo: number, hi: number): boolean => v >= lo && v <= hi;
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * NumPy 1.24's value-based casting of a Python scalar against an array of dtype `d`: a JS number
 * that is a safe integer (|v| < 2^53) counts as a Python int, any other (1e300 too) as a Python float. The scalar widens the
 * array's dtype only when its value does not fit (`int32 + 2**40` is int64) or its kind is higher
 * (`int32 + 0.5` is float64). NumPy's uint16/int16/uint64 results become int32/int32/int64 here.
 */
export function promoteScalar(d: DType, v: number | boolean): DType {
  if (typeof v === 'boolean') return d;
  if (Number.isSafeInteger(v)) {
    switch (d) {
      case 'bool':
        return 'int64';
      case 'uint8':
        return fits(v, 0, 255) ? 'uint8' : fits(v, -2147483648, 2147483647) ? 'int32' : 'int64';
      case 'int32':
        return fits(v, -2147483648, 2147483647) ? 'int32' : 'int64';
      case 'float32':
        return fits(v, -32768, 65535) ? 'float32' : 'float64';
      default:
        return d;
    }
  }
  if (d === 'float32') return Number.isNaN(v) || !Number.isFinite(v) || Math.abs(v) <= FLOAT32_MAX ? 'float32' : 'float64';
  return 'float64';
}

/** dtype of a "true" floating result (division, sqrt, exp, ...): float32 stays float32. */
export function floatResult(d: DType): DType {
  return d === 'float32' ? 'float32' : 'float64';
}

/** The dtype NumPy's sum/prod/cumsum/cumprod give: integers and bools accumulate in int64. */
export function accumulatorOf(d: DType): DType {
  return isIntegral(d) ? 'int64' : d;
}

// ---- int64 data as numbers ------------------------------------------------------------------
// Code written for number-element blocks reads int64 blocks through these (exact up to 2^53,
// rounded to the nearest float64 beyond, as NumPy's int64 -> float64 cast).

const TWO32 = 4294967296;

/** The two 32-bit words (little-endian: low, high) of each element of an int64 array. */
export function int64Words(a: BigInt64Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.length * 2);
}

/** Element i of any block's data as a number. */
export function numberAt(data: TypedArray, i: number): number {
  return data instanceof BigInt64Array ? Number(data[i]) : data[i];
}

/** int64 values as float64 (rounded to nearest above 2^53). Written word by word: no bigint per element. */
export function int64ToFloat64(a: BigInt64Array, out: Float64Array = new Float64Array(a.length)): Float64Array {
  const w = int64Words(a);
  for (let i = 0, j = 0; i < a.length; i++, j += 2) out[i] = w[j + 1] * TWO32 + (w[j] >>> 0);
  return out;
}

/** The data as a number-element typed array: an int64 block converted to float64, others as they are. */
export function asNumbers(data: TypedArray): NumericArray {
  return data instanceof BigInt64Array ? int64ToFloat64(data) : data;
}

/** The data as float64 (a copy unless it already is one). */
export function asFloat64(data: TypedArray): Float64Array {
  if (data instanceof Float64Array) return data;
  if (data instanceof BigInt64Array) return int64ToFloat64(data);
  return Float64Array.from(data);
}

/**
 * Numbers into an int64 array, truncated toward zero as C casts do (NaN and infinities become 0, as
 * the other integer casts here do; NumPy leaves them undefined and gives INT64_MIN on x86).
 */
export function numbersToInt64(src: ArrayLike<number>, out: BigInt64Array = new BigInt64Array(src.length), at = 0): BigInt64Array {
  const w = int64Words(out);
  for (let i = 0; i < src.length; i++) {
    const v = Math.trunc(src[i]) || 0;
    const j = 2 * (at + i);
    if (v <= Number.MAX_SAFE_INTEGER && v >= -Number.MAX_SAFE_INTEGER) {
      w[j] = v | 0;
      w[j + 1] = Math.floor(v / TWO32);
    } else if (Number.isFinite(v)) {
      out[at + i] = BigInt(v); // stored modulo 2^64, as NumPy's cast wraps
    } else {
      w[j] = 0;
      w[j + 1] = 0;
    }
  }
  return out;
}

/** Writes a number into element i of any block's data (truncated into an int64 block). */
export function setNumber(data: TypedArray, i: number, v: number): void {
  if (data instanceof BigInt64Array) numbersToInt64([v], data, i);
  else data[i] = v;
}

/** A number-element typed array of the dtype's values read as numbers: float64 for int64. */
export function numericCtorOf(dtype: DType): NumericArrayConstructor {
  const C = ctorOf(dtype);
  return C === BigInt64Array ? Float64Array : (C as NumericArrayConstructor);
}

/** Fills [start, end) of any block's data with a number (truncated into an int64 block). */
export function fillNumber(data: TypedArray, v: number, start = 0, end = data.length): void {
  if (data instanceof BigInt64Array) data.fill(BigInt(Math.trunc(v) || 0), start, end);
  else data.fill(v, start, end);
}
