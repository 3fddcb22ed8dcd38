/** The finalizer of a masked array: its data blocks then its mask blocks, assembled. */
import { numberAt } from '../dtype';
import { MaskedNDArray } from '../ma/masked-ndarray';
import { NDArray } from '../ndarray';
import type { Block } from './block';
import { assembleBlock, type AssembleMeta } from './layout';

/** A MaskedNDArray, or for a 0-d result its value, null where masked (NumPy's `masked`). */
export function assembleMasked(blocks: readonly Block[], dataMeta: AssembleMeta, maskMeta: AssembleMeta, fillValue: number): MaskedNDArray | number | boolean | null {
  const half = blocks.length / 2;
  const data = assembleBlock(blocks.slice(0, half), dataMeta);
  const mask = assembleBlock(blocks.slice(half), maskMeta);
  if (dataMeta.shape.length === 0) return mask.data[0] ? null : dataMeta.dtype === 'bool' ? data.data[0] !== 0 : numberAt(data.data, 0);
  return new MaskedNDArray(NDArray.fromBlock(data), NDArray.fromBlock(mask), fillValue);
}
