/** Element types the reductions accept. */
export type NumericArray = Float64Array | Float32Array | Int32Array;
/** Element types group-by accepts as values. */
export type ValueArray = Float64Array | Float32Array | Int32Array;
/** Any typed array the kernels' memory can hand out. */
export type KernelTypedArray = Float64Array | Float32Array | Int32Array | Uint32Array | Uint8Array;

/** Constructors of the typed arrays above, used to allocate in kernel memory. */
export type KernelArrayConstructor =
  | Float64ArrayConstructor
  | Float32ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | Uint8ArrayConstructor;

/** A constructor that makes a T viewing `length` elements of `buffer` from `byteOffset`. */
export interface ViewConstructor<T extends KernelTypedArray> {
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

export type DType = 'f64' | 'f32' | 'i32';

export function dtypeOf(x: NumericArray): DType {
  if (x instanceof Float64Array) return 'f64';
  if (x instanceof Float32Array) return 'f32';
  if (x instanceof Int32Array) return 'i32';
  throw new TypeError(`expected Float64Array, Float32Array or Int32Array, got ${Object.prototype.toString.call(x)}`);
}

/**
 * Element types the machine-learning kernels (`lloydPartial`, `logisticPartial`) take: read as
 * float64 (a float64 array in kernel memory in place, any other converted on its way into the
 * scratch area). Uint8Array holds booleans.
 */
export type RealArray = Float64Array | Float32Array | Int32Array | Uint8Array;

/**
 * A WebAssembly memory, as the kernels' public types name it: the two members they use, so that the
 * declarations compile without the DOM lib (`lib: ["es2022"]`, `types: ["node"]`), where the
 * `WebAssembly` namespace does not exist. A `WebAssembly.Memory` is one, and one of these is a
 * `WebAssembly.Memory` for TypeScript (the same members: `buffer` is typed `ArrayBuffer` as in the
 * DOM lib, though it is a `SharedArrayBuffer` for a shared memory at run time).
 */
export interface KernelsMemory {
  readonly buffer: ArrayBuffer;
  grow(delta: number): number;
}
