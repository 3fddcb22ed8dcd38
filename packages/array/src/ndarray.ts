/**
 * The eager result of `compute()`: dtype, shape and one C-ordered typed array, with NumPy-like
 * printing. It is also accepted everywhere an input array is (fromArray, masks, operands).
 */
import { inspect } from 'node:util';
import { alloc, ctorOf, dtypeOfArray, toDType, type DType, type TypedArray } from './dtype';
import { sizeOf, stridesOf, type Block } from './runtime/block';

/** Nested JS arrays of numbers (or booleans), as `toArray()` returns and `fromArray` accepts. */
export type NestedArray = number | boolean | readonly NestedArray[];

export class NDArray {
  readonly strides: readonly number[];
  constructor(
    readonly data: TypedArray,
    readonly shape: readonly number[],
    readonly dtype: DType = dtypeOfArray(data),
  ) {
    if (sizeOf(shape) !== data.length) {
      throw new RangeError(`NDArray: shape [${shape.join(', ')}] needs ${sizeOf(shape)} elements, the data has ${data.length}`);
    }
    if (!(data instanceof ctorOf(dtype))) throw new TypeError(`NDArray: dtype ${dtype} needs a ${ctorOf(dtype).name}, got ${data.constructor.name}`);
    this.strides = stridesOf(shape);
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
    const inferred: DType = flat.length && flat.every((v) => typeof v === 'boolean') ? 'bool' : 'float64';
    const dt = dtype ? toDType(dtype) : inferred;
    const data = alloc(dt, flat.length);
    for (let i = 0; i < flat.length; i++) data[i] = Number(flat[i]);
    return new NDArray(data, shape, dt);
  }

  get ndim(): number {
    return this.shape.length;
  }
  get size(): number {
    return this.data.length;
  }

  /** One element; negative indices count from the end. Booleans for bool arrays. */
  get(...index: number[]): number {
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
    return this.data[off];
  }

  /** Nested JS arrays (booleans for bool arrays); a 0-d array gives its value. */
  toArray(): NestedArray {
    const conv = this.dtype === 'bool' ? (v: number) => v !== 0 : (v: number) => v;
    const rec = (d: number, off: number): NestedArray => {
      if (d === this.shape.length) return conv(this.data[off]);
      const out: NestedArray[] = [];
      for (let i = 0; i < this.shape[d]; i++) out.push(rec(d + 1, off + i * this.strides[d]));
      return out;
    };
    return rec(0, 0);
  }

  astype(dtype: DType | string): NDArray {
    const d = toDType(dtype);
    if (d === this.dtype) return this;
    const out = alloc(d, this.size);
    if (d === 'bool') for (let i = 0; i < this.size; i++) out[i] = this.data[i] !== 0 ? 1 : 0;
    else if (d === 'int32' || d === 'uint8') for (let i = 0; i < this.size; i++) out[i] = Math.trunc(this.data[i]) || 0;
    else out.set(this.data);
    return new NDArray(out, this.shape, d);
  }

  toBlock(): Block {
    return { dtype: this.dtype, shape: [...this.shape], data: this.data };
  }

  /** NumPy-like repr: `array([[1., 2.], [3., 4.]])`, summarised with `...` above 1000 elements. */
  toString(): string {
    return formatArray(this);
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

function formatNumber(v: number, dtype: DType, precision: number): string {
  if (dtype === 'bool') return v ? 'True' : 'False';
  if (dtype !== 'float64' && dtype !== 'float32') return String(v);
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
      const s = formatNumber(a.data[off], a.dtype, 8);
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
  const body = a.ndim === 0 ? formatNumber(a.data[0], a.dtype, 8) : a.size === 0 ? '[]' : rec(0, 0, ' '.repeat(prefix.length));
  const suffix = a.dtype === 'float64' || a.dtype === 'bool' ? '' : `, dtype=${a.dtype}`;
  return `${prefix}${body}${suffix})`;
}
