/**
 * The eager result of `compute()`: dtype, shape and one C-ordered typed array, with NumPy-like
 * printing. It is also accepted everywhere an input array is (fromArray, masks, operands).
 */
/** Node's util.inspect.custom (a registered symbol: no import of node:util, which a browser lacks). */
const inspectCustom = Symbol.for('nodejs.util.inspect.custom');
import { alloc, ctorOf, dtypeOfArray, int64ToFloat64, numbersToInt64, toDType, type DType, type NumericArray, type TypedArray } from './dtype';
import { castData, sizeOf, stridesOf, type Block } from './runtime/block';

/** Nested JS arrays of numbers (or booleans), as `toArray()` returns and `fromArray` accepts. */
export type NestedArray = number | boolean | readonly NestedArray[];

/** Nested JS arrays of bigints: the exact values of an integer array (`toBigInts()`). */
export type NestedBigInts = bigint | NestedBigInts[];

export class NDArray {
  readonly strides: readonly number[];
  #numbers?: NumericArray;
  /**
   * `values` is the exact storage: a BigInt64Array for int64, else the same array as `data`.
   */
  constructor(
    readonly values: TypedArray,
    readonly shape: readonly number[],
    readonly dtype: DType = dtypeOfArray(values),
  ) {
    if (sizeOf(shape) !== values.length) {
      throw new RangeError(`NDArray: shape [${shape.join(', ')}] needs ${sizeOf(shape)} elements, the data has ${values.length}`);
    }
    if (!(values instanceof ctorOf(dtype))) throw new TypeError(`NDArray: dtype ${dtype} needs a ${ctorOf(dtype).name}, got ${values.constructor.name}`);
    this.strides = stridesOf(shape);
  }

  /**
   * The values as JS numbers, C-ordered: the storage itself, except for int64, whose values come as
   * a float64 copy (exact up to 2^53, rounded to nearest beyond; `values`, `getBigInt` and
   * `toBigInts` are exact).
   */
  get data(): NumericArray {
    return this.values instanceof BigInt64Array ? (this.#numbers ??= int64ToFloat64(this.values)) : this.values;
  }

  static fromBlock(b: Block): NDArray {
    return new NDArray(b.data, b.shape, b.dtype);
  }

  /** From nested JS arrays (rectangular), a typed array (1-D) or an NDArray. */
  static from(x: NestedArray | ArrayBufferView | NDArray, dtype?: DType | string): NDArray {
    if (x instanceof NDArray) return dtype && toDType(dtype) !== x.dtype ? x.astype(toDType(dtype)) : x;
    if (ArrayBuffer.isView(x)) {
      const d = dtypeOfArray(x);
      const a = new NDArray(x as TypedArray, [(x as TypedArray).length], d);
      return dtype && toDType(dtype) !== d ? a.astype(toDType(dtype)) : a;
    }
    const shape: number[] = [];
    let probe: NestedArray = x;
    while (Array.isArray(probe)) {
      shape.push(probe.length);
      probe = (probe as readonly NestedArray[])[0];
      if (probe === undefined) break;
    }
    const flat: (number | boolean)[] = [];
    const walk = (v: NestedArray, depth: number): void => {
      if (depth === shape.length) {
        if (Array.isArray(v)) throw new RangeError(`Nested array is not rectangular: unexpected array at depth ${depth}`);
        if (typeof v !== 'number' && typeof v !== 'boolean') throw new TypeError(`Nested array holds a ${typeof v}; only numbers and booleans are supported`);
        flat.push(v as number | boolean);
        return;
      }
      if (!Array.isArray(v) || v.length !== shape[depth]) {
        throw new RangeError(`Nested array is not rectangular: expected length ${shape[depth]} at depth ${depth}`);
      }
      for (const e of v as readonly NestedArray[]) walk(e, depth + 1);
    };
    walk(x, 0);
    // As np.array: booleans only give bool, integers (and booleans) int64, any other number float64.
    const inferred: DType = !flat.length ? 'float64' : flat.every((v) => typeof v === 'boolean') ? 'bool' : flat.every((v) => typeof v === 'boolean' || Number.isInteger(v)) ? 'int64' : 'float64';
    const dt = dtype ? toDType(dtype) : inferred;
    const nums = Float64Array.from(flat, Number);
    if (dt === 'int64') return new NDArray(numbersToInt64(nums), shape, dt);
    const data = alloc(dt, flat.length);
    data.set(nums as unknown as ArrayLike<number> & ArrayLike<bigint>);
    return new NDArray(data, shape, dt);
  }

  get ndim(): number {
    return this.shape.length;
  }
  get size(): number {
    return this.values.length;
  }

  /** One element as a number (int64 elements rounded to nearest above 2^53: see getBigInt). */
  get(...index: number[]): number {
    return Number(this.values[this.offsetOf(index)]);
  }

  /** One element of an integer array, exactly. */
  getBigInt(...index: number[]): bigint {
    const v = this.values[this.offsetOf(index)];
    return typeof v === 'bigint' ? v : BigInt(v);
  }

  private offsetOf(index: readonly number[]): number {
    if (index.length !== this.shape.length) throw new RangeError(`get: ${index.length} indices for a ${this.ndim}-d array`);
    let off = 0;
    for (let d = 0; d < index.length; d++) {
      let i = index[d];
      const n = this.shape[d];
      if (!Number.isInteger(i)) throw new TypeError(`get: index ${i} is not an integer`);
      if (i < 0) i += n;
      if (i < 0 || i >= n) throw new RangeError(`index ${index[d]} is out of bounds for axis ${d} with size ${n}`);
      off += i * this.strides[d];
    }
    return off;
  }

  /**
   * Nested JS arrays (booleans for bool arrays); a 0-d array gives its value. int64 elements become
   * numbers, exact up to 2^53 (toBigInts() gives them exactly).
   */
  toArray(): NestedArray {
    const data = this.data;
    const conv = this.dtype === 'bool' ? (v: number) => v !== 0 : (v: number) => v;
    const rec = (d: number, off: number): NestedArray => {
      if (d === this.shape.length) return conv(data[off]);
      const out: NestedArray[] = [];
      for (let i = 0; i < this.shape[d]; i++) out.push(rec(d + 1, off + i * this.strides[d]));
      return out;
    };
    return rec(0, 0);
  }

  /** Nested JS arrays of bigints: the exact values of an integer or bool array. */
  toBigInts(): NestedBigInts {
    if (this.dtype === 'float64' || this.dtype === 'float32') throw new TypeError(`toBigInts: the array is ${this.dtype}, not an integer array (cast it with astype('int64') first)`);
    const rec = (d: number, off: number): NestedBigInts => {
      if (d === this.shape.length) return BigInt(this.values[off]);
      const out: NestedBigInts[] = [];
      for (let i = 0; i < this.shape[d]; i++) out.push(rec(d + 1, off + i * this.strides[d]));
      return out;
    };
    return rec(0, 0);
  }

  /** The values as numbers: `data` (int64 as float64, exact up to 2^53; others uncopied). */
  numbers(): NumericArray {
    return this.data;
  }

  astype(dtype: DType | string): NDArray {
    const d = toDType(dtype);
    if (d === this.dtype) return this;
    return new NDArray(castData(this.values, this.dtype, d), this.shape, d);
  }

  toBlock(): Block {
    return { dtype: this.dtype, shape: [...this.shape], data: this.values };
  }

  /** NumPy-like repr: `array([[1., 2.], [3., 4.]])`, summarised with `...` above 1000 elements. */
  toString(): string {
    return formatArray(this);
  }

  [inspectCustom](): string {
    return this.toString();
  }
}

function formatNumber(v0: number | bigint, dtype: DType, precision: number): string {
  if (dtype === 'bool') return v0 ? 'True' : 'False';
  if (dtype !== 'float64' && dtype !== 'float32') return String(v0);
  const v = Number(v0);
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  let s = Number.isInteger(v) && Math.abs(v) < 1e16 ? `${v}.` : String(Number(v.toFixed(precision)));
  if (Object.is(v, -0)) s = '-0.';
  if (/e/.test(s) || Math.abs(v) >= 1e16 || (v !== 0 && Math.abs(v) < 1e-4)) s = v.toExponential(precision).replace(/\.?0+e/, 'e').replace(/e([+-])(\d)$/, 'e$10$2');
  if (!s.includes('.') && !s.includes('e') && !s.includes('n')) s += '.';
  return s;
}

const EDGE = 3;
const THRESHOLD = 1000;

function formatArray(a: NDArray): string {
  const summarise = a.size > THRESHOLD;
  const strs = new Map<number, string>();
  let width = 0;
  const visit = (d: number, off: number): void => {
    if (d === a.ndim) {
      const s = formatNumber(a.values[off], a.dtype, 8);
      strs.set(off, s);
      width = Math.max(width, s.length);
      return;
    }
    const n = a.shape[d];
    for (let i = 0; i < n; i++) {
      if (summarise && n > 2 * EDGE && i === EDGE) i = n - EDGE;
      visit(d + 1, off + i * a.strides[d]);
    }
  };
  if (a.size > 0) visit(0, 0);
  const pad = (s: string) => (a.dtype === 'float64' || a.dtype === 'float32' ? s.padEnd(width) : s.padStart(width));
  const prefix = 'array(';
  const rec = (d: number, off: number, indent: string): string => {
    if (d === a.ndim) return pad(strs.get(off)!);
    const n = a.shape[d];
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      if (summarise && n > 2 * EDGE && i === EDGE) {
        parts.push('...');
        i = n - EDGE;
      }
      parts.push(rec(d + 1, off + i * a.strides[d], `${indent} `));
    }
    const sep = d === a.ndim - 1 ? ', ' : `,${'\n'.repeat(a.ndim - d - 1)}${indent} `;
    return `[${parts.join(sep)}]`;
  };
  const body = a.ndim === 0 ? formatNumber(a.values[0], a.dtype, 8) : a.size === 0 ? '[]' : rec(0, 0, ' '.repeat(prefix.length));
  // NumPy names the dtype unless it is a default one (float64, int64 on Linux, bool) of a non-empty array.
  const suffix = a.dtype === 'float64' || ((a.dtype === 'bool' || a.dtype === 'int64') && a.size > 0) ? '' : `, dtype=${a.dtype}`;
  return `${prefix}${body}${suffix})`;
}
