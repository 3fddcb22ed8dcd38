/**
 * In-memory targets of `store` (NumPy arrays in Dask: `target[region] = block`). A target is an
 * NDArray of the calling thread, registered here under an id; the write tasks name it by id and
 * run in the calling thread (their layers say so), as tasks on Zarr store objects do.
 */
import type { NDArray } from '../ndarray';
import { copyRegion, type Block } from './block';
import { castData } from './block';

const targets = new Map<number, WeakRef<NDArray>>();
let next = 1;

export function registerTarget(t: NDArray): number {
  for (const [id, r] of targets) if (r.deref() === t) return id;
  for (const [id, r] of targets) if (!r.deref()) targets.delete(id);
  targets.set(next, new WeakRef(t));
  return next++;
}

/** Writes a block into the target at `offset` (per dimension), cast to the target's dtype as NumPy's assignment does. */
export function storeBlock(id: number, offset: readonly number[], b: Block): null {
  const t = targets.get(id)?.deref();
  if (!t) {
    throw new Error('store: this in-memory target belongs to the calling thread and cannot be written from a worker thread; compute with { scheduler: \'sync\' } or write to a Zarr directory');
  }
  const data = castData(b.data, b.dtype, t.dtype);
  copyRegion(data, b.shape, b.shape.map(() => 0), t.values, t.shape, offset, b.shape);
  return null;
}

/** The value of a collection of writes (Dask's None). */
export function writesDone(): null {
  return null;
}
