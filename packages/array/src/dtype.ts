/**
 * Element types. pdask arrays hold one typed array per block; the dtype names follow NumPy.
 * `bool` is stored as a Uint8Array of 0/1.
 */
export type DType = 'float64' | 'float32' | 'int32' | 'uint8' | 'bool';
export type TypedArray = Float64Array | Float32Array | Int32Array | Uint8Array;
export type TypedArrayConstructor = Float64ArrayConstructor | Float32ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;

export const DTYPES: readonly DType[] = ['float64', 'float32', 'int32', 'uint8', 'bool'];

const ALIASES: Record<string, DType> = {
  float64: 'float64', f8: 'float64', float: 'float64', double: 'float64', '<f8': 'float64',
  float32: 'float32', f4: 'float32', single: 'float32', '<f4': 'float32',
  int32: 'int32', i4: 'int32', int: 'int32', '<i4': 'int32',
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
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint8Array || a instanceof Uint8ClampedArray) return 'uint8';
  throw new TypeError(`Unsupported typed array ${a.constructor.name}: use Float64Array, Float32Array, Int32Array or Uint8Array`);
}

export const isFloat = (d: DType): boolean => d === 'float64' || d === 'float32';
export const isIntegral = (d: DType): boolean => d === 'int32' || d === 'uint8' || d === 'bool';

const RANK: Record<DType, number> = { bool: 0, uint8: 1, int32: 2, float32: 3, float64: 4 };

/** NumPy's result_type for two array operands (restricted to the supported dtypes). */
export function promote(a: DType, b: DType): DType {
  if (a === b) return a;
  // float32 cannot hold every int32 exactly: NumPy goes to float64.
  if ((a === 'float32' && b === 'int32') || (a === 'int32' && b === 'float32')) return 'float64';
  return RANK[a] >= RANK[b] ? a : b;
}

/** NumPy's "weak scalar" rule: a JS number does not widen an array's dtype unless its kind does. */
export function promoteScalar(d: DType, v: number | boolean): DType {
  if (typeof v === 'boolean') return d;
  if (Number.isInteger(v) || !Number.isFinite(v) && !Number.isNaN(v)) {
    if (!Number.isInteger(v)) return isFloat(d) ? d : 'float64';
    return d === 'bool' ? 'int32' : d;
  }
  return isFloat(d) ? d : 'float64';
}

/** dtype of a "true" floating result (division, sqrt, exp, ...): float32 stays float32. */
export function floatResult(d: DType): DType {
  return d === 'float32' ? 'float32' : 'float64';
}
