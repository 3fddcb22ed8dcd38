/** Cumulative sums/products along an axis: per block, then a carry from the blocks before it. */
import { alloc, type DType } from '../dtype';
import { sizeOf, stridesOf, type Block } from './block';

/** The cumulative reductions as data: running sum or product, and whether NaNs count as the identity. */
export const CUMULATIVE = {
  cumsum: { sum: true, nanAware: false },
  cumprod: { sum: false, nanAware: false },
  nancumsum: { sum: true, nanAware: true },
  nancumprod: { sum: false, nanAware: true },
} as const satisfies Record<string, { readonly sum: boolean; readonly nanAware: boolean }>;

export type CumFn = keyof typeof CUMULATIVE;

const isSum = (fn: CumFn): boolean => CUMULATIVE[fn].sum;

/** Running sums/products of one block along `axis`. */
export function cumBlock(fn: CumFn, axis: number, dtype: DType, b: Block): Block {
  const out = alloc(dtype, b.data.length);
  const st = stridesOf(b.shape)[axis];
  const len = b.shape[axis];
  const outer = sizeOf(b.shape.slice(0, axis));
  const inner = st;
  const sum = isSum(fn);
  const nan = CUMULATIVE[fn].nanAware;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let acc = sum ? 0 : 1;
      let p = o * len * inner + i;
      for (let j = 0; j < len; j++, p += st) {
        let v = b.data[p];
        if (nan && v !== v) v = sum ? 0 : 1;
        acc = sum ? acc + v : acc * v;
        out[p] = acc;
      }
    }
  }
  return { dtype, shape: [...b.shape], data: out };
}

/** The carry after this block: prev (or nothing) combined with the block's last slice. */
export function cumCarry(fn: CumFn, axis: number, prev: Block | null, cum: Block): Block {
  const shape = cum.shape.map((s, d) => (d === axis ? 1 : s));
  const n = sizeOf(shape);
  const out = new Float64Array(n);
  const st = stridesOf(cum.shape)[axis];
  const len = cum.shape[axis];
  const inner = st;
  for (let q = 0; q < n; q++) {
    const o = Math.floor(q / inner);
    const i = q % inner;
    const last = len > 0 ? cum.data[o * len * inner + (len - 1) * inner + i] : isSum(fn) ? 0 : 1;
    out[q] = prev ? (isSum(fn) ? prev.data[q] + last : prev.data[q] * last) : last;
  }
  return { dtype: 'float64', shape, data: out };
}

export function cumApply(fn: CumFn, axis: number, cum: Block, carry: Block): Block {
  const out = alloc(cum.dtype, cum.data.length);
  const st = stridesOf(cum.shape)[axis];
  const len = cum.shape[axis];
  const inner = st;
  for (let p = 0; p < cum.data.length; p++) {
    const o = Math.floor(p / (len * inner));
    const i = p % inner;
    const c = carry.data[o * inner + i];
    out[p] = isSum(fn) ? cum.data[p] + c : cum.data[p] * c;
  }
  return { dtype: cum.dtype, shape: [...cum.shape], data: out };
}
