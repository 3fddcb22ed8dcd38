/**
 * Cumulative sums/products along an axis. Sums: per block, then a carry from the blocks before it
 * added on. Products: each block's running product starts from the carry (the last values of the
 * block before), so it is NumPy's sequential product: a carry of 0 times a block that overflows to
 * inf stays 0 (`cumprod([0, 1e200, 1e200])` is [0, 0, 0]), where multiplying the block's own
 * running product by the carry would give 0 * inf = NaN. Integer results are int64, exact.
 */
import { alloc, int64Words, numberAt, type DType, type NumericArray, type TypedArray } from '../dtype';
import { sizeOf, stridesOf, type Block } from './block';
import { accAt, accStep, accWrite, type Acc } from './int64';

/** The cumulative reductions as data: running sum or product, and whether NaNs count as the identity. */
export const CUMULATIVE = {
  cumsum: { sum: true, nanAware: false },
  cumprod: { sum: false, nanAware: false },
  nancumsum: { sum: true, nanAware: true },
  nancumprod: { sum: false, nanAware: true },
} as const satisfies Record<string, { readonly sum: boolean; readonly nanAware: boolean }>;

export type CumFn = keyof typeof CUMULATIVE;

const isSum = (fn: CumFn): boolean => CUMULATIVE[fn].sum;

/** Whether the blocks of `fn` start from the carry (sequential along the axis) rather than taking it afterwards. */
export const seeded = (fn: CumFn): boolean => !isSum(fn);

/** Reads element p of a block's data (int64 words precomputed) as an exact Acc or a number. */
function reader(data: TypedArray): (p: number) => Acc {
  if (data instanceof BigInt64Array) {
    const w = int64Words(data);
    return (p) => accAt(data, w, p);
  }
  return (p) => data[p];
}

/**
 * Running sums/products of one block along `axis`, each lane starting from its last value in
 * `prev` (the running block before this one along the axis), or from the identity.
 */
export function cumBlock(fn: CumFn, axis: number, dtype: DType, b: Block, prev: Block | null = null): Block {
  const seed = prev ? lastSlice(fn, axis, prev) : null;
  const n = b.data.length;
  const out = alloc(dtype, n);
  const st = stridesOf(b.shape)[axis];
  const len = b.shape[axis];
  const outer = sizeOf(b.shape.slice(0, axis));
  const inner = st;
  const sum = isSum(fn);
  const nan = CUMULATIVE[fn].nanAware;
  const identity = sum ? 0 : 1;
  if (out instanceof BigInt64Array) {
    // Integers (never NaN): exact, modulo 2^64.
    const ow = int64Words(out);
    const read = reader(b.data);
    const seedAt = seed ? reader(seed.data) : undefined;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        let acc: Acc = seedAt ? seedAt(o * inner + i) : identity;
        let p = o * len * inner + i;
        for (let j = 0; j < len; j++, p += st) {
          acc = accStep(acc, read(p), sum);
          accWrite(out, ow, p, acc);
        }
      }
    }
    return { dtype, shape: [...b.shape], data: out };
  }
  const src = b.data instanceof BigInt64Array ? Float64Array.from(b.data, Number) : b.data;
  const o64 = out as NumericArray;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let acc = seed ? numberAt(seed.data, o * inner + i) : identity;
      let p = o * len * inner + i;
      for (let j = 0; j < len; j++, p += st) {
        let v = src[p];
        if (nan && v !== v) v = identity;
        acc = sum ? acc + v : acc * v;
        o64[p] = acc;
      }
    }
  }
  return { dtype, shape: [...b.shape], data: out };
}

/** The last slice along `axis` of a block of running values (the identity for an empty block). */
function lastSlice(fn: CumFn, axis: number, cum: Block): Block {
  const shape = cum.shape.map((s, d) => (d === axis ? 1 : s));
  const n = sizeOf(shape);
  const out = alloc(cum.dtype, n);
  const st = stridesOf(cum.shape)[axis];
  const len = cum.shape[axis];
  const inner = st;
  const identity = isSum(fn) ? 0 : 1;
  for (let q = 0; q < n; q++) {
    const o = Math.floor(q / inner);
    const i = q % inner;
    const p = o * len * inner + (len - 1) * inner + i;
    if (out instanceof BigInt64Array) out[q] = len > 0 ? (cum.data as BigInt64Array)[p] : BigInt(identity);
    else out[q] = len > 0 ? (cum.data as NumericArray)[p] : identity;
  }
  return { dtype: cum.dtype, shape, data: out };
}

/** Combines two carries (or running values) lane by lane. */
function combine(fn: CumFn, a: Block, b: Block): Block {
  const n = a.data.length;
  const out = alloc(b.dtype, n);
  const sum = isSum(fn);
  if (out instanceof BigInt64Array) {
    const ra = reader(a.data);
    const rb = reader(b.data);
    const ow = int64Words(out);
    for (let q = 0; q < n; q++) accWrite(out, ow, q, accStep(ra(q), rb(q), sum));
  } else {
    for (let q = 0; q < n; q++) {
      const x = numberAt(a.data, q);
      const y = numberAt(b.data, q);
      out[q] = sum ? x + y : x * y;
    }
  }
  return { dtype: b.dtype, shape: b.shape, data: out };
}

/** The carry after this block: prev (or nothing) combined with the block's last slice. */
export function cumCarry(fn: CumFn, axis: number, prev: Block | null, cum: Block): Block {
  const last = lastSlice(fn, axis, cum);
  return prev ? combine(fn, prev, last) : last;
}

/** A block's running values combined with the carry of the blocks before it. */
export function cumApply(fn: CumFn, axis: number, cum: Block, carry: Block): Block {
  const n = cum.data.length;
  const out = alloc(cum.dtype, n);
  const st = stridesOf(cum.shape)[axis];
  const len = cum.shape[axis];
  const inner = st;
  const sum = isSum(fn);
  const rc = reader(cum.data);
  const rk = reader(carry.data);
  const ow = out instanceof BigInt64Array ? int64Words(out) : undefined;
  for (let p = 0; p < n; p++) {
    const o = Math.floor(p / (len * inner));
    const i = p % inner;
    const q = o * inner + i;
    if (ow) accWrite(out as BigInt64Array, ow, p, accStep(rc(p), rk(q), sum));
    else (out as NumericArray)[p] = sum ? (rc(p) as number) + (rk(q) as number) : (rc(p) as number) * (rk(q) as number);
  }
  return { dtype: cum.dtype, shape: [...cum.shape], data: out };
}

