import { blockOffset } from '../chunks';
import type { DType } from '../dtype';
import type { BlockInfo } from '../runtime/user';

/**
 * What a user block function is told about the block it gets (Dask's `block_info`): its index,
 * where it sits in the whole array, and the array's shape. `chunkShape` defaults to the block's
 * own size (mapOverlap passes the size with halos).
 */
export function blockInfo(
  chunks: readonly (readonly number[])[],
  idx: readonly number[],
  shape: readonly number[],
  dtype: DType,
  chunkShape: readonly number[] = idx.map((b, d) => chunks[d][b]),
): BlockInfo {
  const off = blockOffset(chunks, idx);
  return {
    blockId: idx,
    arrayLocation: off.map((o, d) => [o, o + chunks[d][idx[d]]] as [number, number]),
    chunkShape,
    numBlocks: chunks.map((c) => c.length),
    shape,
    dtype,
  };
}
