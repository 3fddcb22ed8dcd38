/**
 * `store(sources, targets, opts)` (Dask's `da.store`): several arrays written to several
 * targets in one computation, so work the sources share runs once. A target is an in-memory
 * `NDArray` (written block by block in the calling thread, as Dask assigns into a NumPy array)
 * or a Zarr location (a directory, a file: URL or a store object; a new array is created there
 * unless `regions` writes into an existing one, as toZarr).
 */
import { checkOptions, lit, processId, ref, tokenize, type ComputeOptions, type LayerNode, type OptionSchema } from '@pdask/core';
import { CALLER_THREAD, type ChunkedArray } from '../array';
import { blockIndices, blockKey, blockOffset } from '../chunks';
import { blockLayer } from '../layer';
import { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import { NOT_YET } from '../options';
import { registerTarget } from '../runtime/store-targets';
import { parseRegion, type RegionEntry } from './zarr-region';
import { StoreWrite } from './store-write';
import { writeZarr, type ZarrSource } from './zarr';
import type { ZarrWrite } from './zarr-write';

export type StoreTarget = NDArray | ZarrSource;

export interface StoreOptions {
  /** One region per target (null: the whole target), one slice per dimension ('2:5', ':', da.s(2, 5)). */
  regions?: readonly (readonly RegionEntry[] | null)[];
  /** Zarr targets: replace an existing array there. */
  overwrite?: boolean;
  /** Options of the computation, or false: resolve to a `StoreWrite` to compute later (Dask's compute=False). */
  compute?: ComputeOptions | false;
}
const SCHEMA: OptionSchema<StoreOptions & { lock?: unknown; returnStored?: unknown }> = {
  regions: 'array',
  overwrite: 'boolean',
  compute: { anyOf: ['object', { oneOf: [false] }] },
  lock: { unsupported: 'every block has one writer, so no lock is needed' },
  returnStored: NOT_YET,
};

let stores = 0;

function memoryWrites(src: ChunkedArray<unknown>, target: NDArray, region: readonly RegionEntry[] | null, i: number): { layer: LayerNode; keys: string[] } {
  const where = `store: target ${i} (an NDArray of shape [${target.shape.join(', ')}])`;
  const r = region ? parseRegion(region, target.shape, where) : { start: target.shape.map(() => 0), shape: [...target.shape] };
  if (r.shape.length !== src.ndim || r.shape.some((s, d) => s !== src.shape[d])) {
    throw new RangeError(`${where}${region ? ` region [${region.join(', ')}]` : ''} has shape [${r.shape.join(', ')}], source ${i} has shape [${src.shape.join(', ')}]`);
  }
  const id = registerTarget(target);
  const name = `store-ndarray-${tokenize(src.name, id, r.start, processId(), Date.now(), ++stores)}`;
  const layer = blockLayer(name, 'store', src.numblocks, (idx) =>
    arrayOps.storeBlock.task(blockKey(name, idx), lit(id), lit(blockOffset(src.chunks, idx).map((o, d) => o + r.start[d])), ref(src.key(idx))), [src.layer], CALLER_THREAD);
  return { layer, keys: [...blockIndices(src.numblocks)].map((idx) => blockKey(name, idx)) };
}

/** Writes each source to its target; resolves to null, or to a StoreWrite with `compute: false`. */
export async function store(sources: readonly ChunkedArray<unknown>[], targets: readonly StoreTarget[], options: StoreOptions & { compute: false }): Promise<StoreWrite>;
export async function store(sources: readonly ChunkedArray<unknown>[], targets: readonly StoreTarget[], options?: StoreOptions): Promise<null | StoreWrite>;
export async function store(sources: readonly ChunkedArray<unknown>[], targets: readonly StoreTarget[], options?: StoreOptions): Promise<null | StoreWrite> {
  const o = checkOptions('da.store', options, SCHEMA);
  if (sources.length !== targets.length) throw new RangeError(`store: different number of sources (${sources.length}) and targets (${targets.length})`);
  if (o.regions && o.regions.length !== targets.length) throw new RangeError(`store: ${o.regions.length} regions for ${targets.length} targets`);
  const layers: LayerNode[] = [];
  const keys: string[] = [];
  const labels: string[] = [];
  for (let i = 0; i < sources.length; i++) {
    const src = sources[i];
    if (src.shape.some(Number.isNaN)) throw new RangeError(`store: source ${i} has unknown chunk sizes; call computeChunkSizes() first`);
    const t = targets[i];
    const region = o.regions?.[i] ?? null;
    if (t instanceof NDArray) {
      const w = memoryWrites(src, t, region, i);
      layers.push(w.layer);
      keys.push(...w.keys);
      labels.push(`NDArray[${t.shape.join(', ')}]`);
    } else {
      const w = (await writeZarr(src, t, { compute: false, ...(region ? { region } : {}), ...(o.overwrite !== undefined && !region ? { overwrite: o.overwrite } : {}) }, 'da.store')) as ZarrWrite;
      layers.push(w.layer);
      keys.push(...w.writeKeys);
      labels.push(w.target);
    }
  }
  const write = new StoreWrite(layers, keys, labels);
  if (o.compute === false) return write;
  await write.compute(o.compute ?? {});
  return null;
}
