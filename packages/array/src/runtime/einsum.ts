/**
 * One block's share of a general einsum: the product of the operands' blocks summed over the
 * contracted letters, accumulated in float64 over every combination of the letters' positions.
 * (Plain matrix products and tensordot-shaped contractions never come here: the builder sends
 * them to the matmul kernels.)
 */
import type { Block } from './block';
import { asFloat64 } from './numeric';

export interface EinsumSpec {
  /** Letters of each operand, one per dimension. */
  readonly inputs: readonly string[];
  readonly output: string;
}

export function einsumBlock(spec: EinsumSpec, ...blocks: Block[]): Block {
  const letters: string[] = [];
  const size = new Map<string, number>();
  spec.inputs.forEach((sub, k) => {
    [...sub].forEach((c, d) => {
      const n = blocks[k].shape[d];
      if (!size.has(c)) {
        letters.push(c);
        size.set(c, n);
      } else if (size.get(c) !== n) throw new RangeError(`einsum: letter '${c}' has blocks of sizes ${size.get(c)} and ${n}`);
    });
  });
  const out = [...spec.output];
  const outShape = out.map((c) => size.get(c) as number);
  const acc = new Float64Array(outShape.reduce((a, b) => a * b, 1));
  const L = letters.length;
  const dims = letters.map((c) => size.get(c) as number);
  if (dims.some((n) => n === 0)) return { dtype: 'float64', shape: outShape, data: acc };
  // Stride of each letter in each operand and in the output (repeated letters add up: diagonals).
  const strideIn = (sub: string, shape: readonly number[]) => {
    const st = new Array<number>(L).fill(0);
    let s = 1;
    for (let d = sub.length - 1; d >= 0; d--) {
      st[letters.indexOf(sub[d])] += s;
      s *= shape[d];
    }
    return st;
  };
  const sts = spec.inputs.map((sub, k) => strideIn(sub, blocks[k].shape));
  const sto = strideIn(spec.output, outShape);
  const data = blocks.map((b) => asFloat64(b.data));
  const idx = new Array<number>(L).fill(0);
  const pos = new Array<number>(data.length).fill(0);
  let po = 0;
  for (;;) {
    let p = 1;
    for (let k = 0; k < data.length; k++) p *= data[k][pos[k]];
    acc[po] += p;
    let d = L - 1;
    for (; d >= 0; d--) {
      idx[d]++;
      for (let k = 0; k < data.length; k++) pos[k] += sts[k][d];
      po += sto[d];
      if (idx[d] < dims[d]) break;
      for (let k = 0; k < data.length; k++) pos[k] -= sts[k][d] * dims[d];
      po -= sto[d] * dims[d];
      idx[d] = 0;
    }
    if (d < 0) break;
  }
  return { dtype: 'float64', shape: outShape, data: acc };
}
