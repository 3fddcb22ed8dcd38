/**
 * `coarsen` of one block: every window of `factors` elements (one factor per dimension) reduced
 * to one value by a row of the reductions table, so each window has exactly the semantics of the
 * built-in reduction (NaN handling, dtypes, the kernels' summation).
 */
import type { Kernels } from '@pdask/kernels';
import { alloc, setNumber } from '../dtype';
import { sizeOf, stridesOf, type Block } from './block';
import { withKernels } from './kernels';
import { reductionRow, type ReduceFn } from './reduce-table';

export function coarsenBlock(fn: ReduceFn, factors: readonly number[], ddof: number, b: Block): Block | Promise<Block> {
  return withKernels((k) => coarsenWith(k, fn, factors, ddof, b));
}

function coarsenWith(k: Kernels, fn: ReduceFn, factors: readonly number[], ddof: number, b: Block): Block {
  const row = reductionRow(fn);
  const dtype = row.dtype(b.dtype);
  const nd = b.shape.length;
  // Elements past the last whole window are left out (trimExcess; otherwise none are).
  const oshape = b.shape.map((s, d) => Math.floor(s / factors[d]));
  const out = alloc(dtype, sizeOf(oshape));
  const win = alloc(b.dtype, factors.reduce((x, y) => x * y, 1));
  const st = stridesOf(b.shape);
  // Offsets of a window's elements from its first one, C order.
  const offs: number[] = [0];
  for (let d = 0; d < nd; d++) {
    const cur = offs.splice(0);
    for (const o of cur) for (let j = 0; j < factors[d]; j++) offs.push(o + j * st[d]);
  }
  const ctx = { name: fn, ddof, dtype };
  const idx = new Array<number>(nd).fill(0);
  for (let o = 0; o < out.length; o++) {
    let base = 0;
    for (let d = 0; d < nd; d++) base += idx[d] * factors[d] * st[d];
    for (let j = 0; j < offs.length; j++) win[j] = b.data[base + offs[j]];
    const v = row.finalize(row.chunk(k, win, 0), ctx);
    // Integer sums and products come exact (bigint); others as numbers.
    if (typeof v === 'bigint') {
      if (out instanceof BigInt64Array) out[o] = v;
      else out[o] = Number(v);
    } else setNumber(out, o, v);
    for (let d = nd - 1; d >= 0 && ++idx[d] === oshape[d]; d--) idx[d] = 0;
  }
  return { dtype, shape: oshape, data: out };
}
