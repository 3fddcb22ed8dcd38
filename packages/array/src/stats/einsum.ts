/**
 * einsum over chunked arrays. Subscripts are parsed once; forms that are a transpose, a plain or
 * batched matrix product, or a tensordot go to those (the matmul kernels, one contraction tree
 * per output block). Everything else (diagonals 'ii->i', sums over one operand, batch letters
 * with several operands) is a blockwise contraction: every output block sums, over the blocks of
 * its contracted letters, one einsum task per combination of blocks (core's treeReduce).
 */
import { lit, ref, SPLIT_EVERY, tokenize, treeReduce } from '@pdask/core';
import { ChunkedArray } from '../array';
import { blockIndices, blockKey } from '../chunks';
import { promote, type DType } from '../dtype';
import { matmul, tensordot } from '../linalg/matmul';
import type { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import { rechunk } from '../rechunk/rechunk';
import { reductionInfo } from '../reductions/reductions';
import { transpose } from '../shape/shape';
import { operand, type A, type StatOperand } from './common';

type Result = ChunkedArray<NDArray | number>;

function parse(subscripts: string, ndims: readonly number[]): { inputs: string[]; output: string } {
  const s = subscripts.replace(/\s+/g, '');
  if (s.includes('.')) throw new RangeError("einsum: ellipsis ('...') is not supported yet; name every dimension");
  const [lhs, rhs] = s.split('->');
  if (s.split('->').length > 2) throw new RangeError(`einsum: subscripts '${subscripts}' have more than one '->'`);
  const inputs = lhs.split(',');
  if (inputs.length !== ndims.length) throw new RangeError(`einsum: ${inputs.length} operand subscripts for ${ndims.length} operands`);
  inputs.forEach((sub, k) => {
    if (!/^[a-zA-Z]*$/.test(sub)) throw new RangeError(`einsum: invalid subscript '${sub}' (letters only)`);
    if (sub.length !== ndims[k]) throw new RangeError(`einsum: operand ${k} has ${ndims[k]} dimensions, its subscripts '${sub}' name ${sub.length}`);
  });
  const counts = new Map<string, number>();
  for (const c of inputs.join('')) counts.set(c, (counts.get(c) ?? 0) + 1);
  let output: string;
  if (rhs === undefined) output = [...counts].filter(([, n]) => n === 1).map(([c]) => c).sort().join('');
  else {
    if (!/^[a-zA-Z]*$/.test(rhs)) throw new RangeError(`einsum: invalid output subscripts '${rhs}'`);
    for (const c of rhs) {
      if (!counts.has(c)) throw new RangeError(`einsum: output subscript '${c}' does not appear in the operands`);
      if (rhs.indexOf(c) !== rhs.lastIndexOf(c)) throw new RangeError(`einsum: output subscript '${c}' appears more than once`);
    }
    output = rhs;
  }
  return { inputs, output };
}

/** NumPy's einsum (explicit '->' or implicit output), without '...'. */
export function einsum(subscripts: string, ...operands0: StatOperand[]): Result {
  const ops = operands0.map((x, k) => operand(x, 'da.einsum', `operand ${k}`));
  if (!ops.length) throw new RangeError('einsum: no operands');
  const { inputs, output } = parse(subscripts, ops.map((x) => x.ndim));
  const size = new Map<string, number>();
  inputs.forEach((sub, k) => [...sub].forEach((c, d) => {
    const n = ops[k].shape[d];
    if (size.has(c) && size.get(c) !== n) throw new RangeError(`einsum: operands could not be broadcast together: '${c}' has lengths ${size.get(c)} and ${n}`);
    size.set(c, n);
  }));
  const dtype = ops.map((x) => x.dtype).reduce((p, d) => promote(p, d));
  const outDtype: DType = dtype === 'bool' ? 'bool' : dtype === 'uint8' ? 'int32' : dtype;
  const distinct = (sub: string) => new Set(sub).size === sub.length;
  if (ops.length === 1 && distinct(inputs[0]) && output.length === inputs[0].length) {
    return transpose(ops[0], [...output].map((c) => inputs[0].indexOf(c))) as Result;
  }
  if (ops.length === 2 && distinct(inputs[0]) && distinct(inputs[1]) && outDtype !== 'bool') {
    const [a, b] = inputs;
    const shared = [...a].filter((c) => b.includes(c));
    const batch = shared.filter((c) => output.includes(c));
    const summed = shared.filter((c) => !output.includes(c));
    const ownOnly = [...a, ...b].filter((c) => !shared.includes(c));
    if (ownOnly.every((c) => output.includes(c))) {
      const r = batch.length ? batched(ops[0], ops[1], a, b, output, batch) : undefined;
      if (r) return r;
      if (!batch.length) {
        const t = tensordot(ops[0], ops[1], [summed.map((c) => a.indexOf(c)), summed.map((c) => b.indexOf(c))]);
        const order = [...a, ...b].filter((c) => !summed.includes(c));
        const perm = [...output].map((c) => order.indexOf(c));
        return (perm.every((p, i) => p === i) ? t : transpose(t, perm)) as Result;
      }
    }
  }
  return general(inputs, output, ops, size, outDtype);
}

/** 'bij,bjk->bik' (leading batch letters, then one matrix product): matmul of stacks. */
function batched(x: A, y: A, a: string, b: string, out: string, batch: string[]): Result | undefined {
  const p = batch.join('');
  if (a.length !== p.length + 2 || b.length !== p.length + 2 || !a.startsWith(p) || !b.startsWith(p)) return undefined;
  const [i, j] = a.slice(p.length);
  const [j2, k] = b.slice(p.length);
  if (j !== j2 || out !== p + i + k) return undefined;
  return matmul(x, y) as Result;
}

/** The blockwise contraction for any subscripts. */
function general(inputs: readonly string[], output: string, ops0: readonly A[], size: Map<string, number>, dtype: DType): Result {
  // Each letter takes the chunks of its first dimension; every other dimension with it is rechunked to them.
  const chunksOf = new Map<string, number[]>();
  inputs.forEach((sub, k) => [...sub].forEach((c, d) => {
    if (!chunksOf.has(c)) chunksOf.set(c, [...ops0[k].chunks[d]]);
  }));
  const ops = ops0.map((x, k) => {
    const want = [...inputs[k]].map((c) => chunksOf.get(c) as number[]);
    const same = want.every((w, d) => w.length === x.chunks[d].length && w.every((s, i) => s === x.chunks[d][i]));
    return same ? x : rechunk(x, want);
  });
  const contracted = [...new Set(inputs.join(''))].filter((c) => !output.includes(c));
  const outGrid = [...output].map((c) => (chunksOf.get(c) as number[]).length);
  const sumGrid = contracted.map((c) => (chunksOf.get(c) as number[]).length);
  const outBlocks = [...blockIndices(outGrid)];
  const name = `einsum-${tokenize(inputs, output, ops.map((x) => x.name))}`;
  const spec = { inputs: [...inputs], output };
  const blockOf = (k: number, oi: readonly number[], si: readonly number[]) =>
    [...inputs[k]].map((c) => {
      const o = output.indexOf(c);
      return o >= 0 ? oi[o] : si[contracted.indexOf(c)];
    });
  const tree = treeReduce(
    {
      name,
      grid: sumGrid.length ? sumGrid : [1],
      groups: outBlocks.length,
      splitEvery: SPLIT_EVERY.array,
      partial: (index, _i, g) => arrayOps.einsumBlock.call(lit(spec), ...ops.map((x, k) => ref(x.key(blockOf(k, outBlocks[g], index))))),
      combine: (parts) => arrayOps.addBlocks.call(lit('float64' as DType), ...parts),
      aggregate: (parts) => arrayOps.addBlocks.call(lit(dtype), ...parts),
      outputKey: (g) => blockKey(name, outBlocks[g]),
      info: reductionInfo(ops[0]),
    },
    [...new Set(ops.map((x) => x.layer))],
  );
  const shape = [...output].map((c) => size.get(c) as number);
  return new ChunkedArray<NDArray | number>(name, shape, [...output].map((c) => [...(chunksOf.get(c) as number[])]), dtype, { k: 'layer', node: tree.node });
}
