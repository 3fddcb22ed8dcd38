/**
 * unique (Dask's: a tree of per-block distinct values; the result's length is unknown, NaN,
 * until computed) and isin.
 */
import { checkOptions, lit, ref, SPLIT_EVERY, tokenize, treeReduce, type OptionSchema } from '@pdask/core';
import { ChunkedArray, fromBlocks } from '../array';
import { blockKey } from '../chunks';
import type { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import { reductionInfo } from '../reductions/reductions';
import { INDEX_DTYPE } from '../runtime/numeric';
import type { UniqueFlags } from '../runtime/unique';
import { ravel } from '../shape/shape';
import { offsets, operand, type StatOperand } from './common';

export interface UniqueOptions {
  returnIndex?: boolean;
  returnInverse?: boolean;
  returnCounts?: boolean;
  splitEvery?: number;
}

/** unique's outputs when any return flag is set (each a chunked array of unknown length but `inverse`). */
export interface UniqueResult {
  values: ChunkedArray<NDArray>;
  index?: ChunkedArray<NDArray>;
  inverse?: ChunkedArray<NDArray>;
  counts?: ChunkedArray<NDArray>;
}

const SCHEMA: OptionSchema<UniqueOptions & { axis?: unknown; equalNan?: unknown }> = {
  returnIndex: 'boolean',
  returnInverse: 'boolean',
  returnCounts: 'boolean',
  splitEvery: 'integer',
  axis: { unsupported: 'not supported (Dask neither): unique works on the flattened array' },
  equalNan: { unsupported: 'NaNs are always merged into one (NumPy 1.24 default)' },
};

type Flagged = UniqueOptions & ({ returnIndex: true } | { returnInverse: true } | { returnCounts: true });

/** NumPy's unique of the flattened array: sorted distinct values (NaN once, last). */
export function unique(x: StatOperand, opts?: UniqueOptions & { returnIndex?: false; returnInverse?: false; returnCounts?: false }): ChunkedArray<NDArray>;
export function unique(x: StatOperand, opts: Flagged): UniqueResult;
export function unique(x0: StatOperand, opts?: UniqueOptions): ChunkedArray<NDArray> | UniqueResult {
  const who = 'da.unique';
  const o = checkOptions(who, opts, SCHEMA);
  const x = operand(x0, who);
  const rv = x.ndim === 1 ? x : ravel(x);
  const flags: UniqueFlags = { index: o.returnIndex ?? false, counts: o.returnCounts ?? false };
  const starts = offsets(rv.chunks[0]);
  const name = `unique-${tokenize(rv.name, flags)}`;
  const partKey = `${name}-part`;
  const tree = treeReduce(
    {
      name: `${name}-tree`,
      grid: rv.numblocks,
      splitEvery: o.splitEvery ?? SPLIT_EVERY.array,
      partial: (index) => arrayOps.uniqueChunk.call(lit(flags), lit(starts[index[0]]), ref(rv.key(index))),
      combine: (parts) => arrayOps.uniqueCombine.call(...parts),
      aggregate: (parts) => arrayOps.uniqueCombine.call(...parts),
      outputKey: () => partKey,
      info: reductionInfo(rv),
    },
    [rv.layer],
  );
  const field = (f: 'values' | 'index' | 'counts') =>
    fromBlocks<NDArray>(`unique-${f}`, `unique-${f}-${tokenize(name)}`, [NaN], [[NaN]], f === 'values' ? x.dtype : INDEX_DTYPE, (_idx, key) => arrayOps.uniqueField.task(key, lit(f), ref(partKey)), [], [tree.node]);
  const values = field('values');
  if (!o.returnIndex && !o.returnInverse && !o.returnCounts) return values;
  const out: UniqueResult = { values };
  if (o.returnIndex) out.index = field('index');
  if (o.returnCounts) out.counts = field('counts');
  if (o.returnInverse) {
    out.inverse = fromBlocks<NDArray>('unique-inverse', `unique-inverse-${tokenize(name)}`, rv.shape, rv.chunks, INDEX_DTYPE, (idx, key) => arrayOps.uniqueInverse.task(key, ref(partKey), ref(rv.key(idx))), [rv], [tree.node]);
  }
  return out;
}

export interface IsinOptions {
  invert?: boolean;
  /** Accepted for NumPy's signature; the result does not depend on it. */
  assumeUnique?: boolean;
}

/** NumPy's isin: whether each element is among `testElements` (any shape; chunked or eager). */
export function isin(element: StatOperand, testElements: StatOperand, opts?: IsinOptions): ChunkedArray<NDArray> {
  const who = 'da.isin';
  const o = checkOptions(who, opts, { invert: 'boolean', assumeUnique: 'boolean' });
  const el = operand(element, who, 'element');
  const t = operand(testElements, who, 'testElements');
  const invert = o.invert ?? false;
  const name = `isin-${tokenize(el.name, t.name, invert)}`;
  const tkeys = t.keys();
  return fromBlocks('isin', name, el.shape, el.chunks, 'bool', (idx, key) => arrayOps.isinBlock.task(key, lit(invert), ref(el.key(idx)), ...tkeys.map((k) => ref(k))), [el, t]);
}
