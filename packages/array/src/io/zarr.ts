/**
 * Zarr storage (Dask's from_zarr / to_zarr) on zarrita: arrays larger than memory live on disk,
 * read one block per task and written one block per task. Metadata is read or created in the
 * calling thread; chunk data only ever moves inside tasks.
 */
import { rm } from 'node:fs/promises';
import { resolve as resolvePath, join as joinPath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lit, ref, taskNode, tokenize, type ComputeOptions } from '@pdask/core';
import { fromBlocks, type ChunkedArray } from '../array';
import { blockOffset, blockShape, normalizeChunks, type ChunksSpec } from '../chunks';
import type { DType } from '../dtype';
import { BlockLayer } from '../layer';
import type { NDArray } from '../ndarray';
import { opRef } from '../ops/names';
import { rechunk } from '../rechunk/rechunk';
import { loadZarrita, registerStore, storeOf, ZARR_DTYPES, zarrDataType, type StoreSpec, type ZArray, type ZarrStore, type ZarrTarget } from '../runtime/zarr';

export type { ZarrStore } from '../runtime/zarr';

/** A directory (path or file: URL), or a zarrita store object (usable in the calling thread only). */
export type ZarrSource = string | URL | ZarrStore;

export interface FromZarrOptions {
  /** The array's path inside the store's hierarchy (default: the root). */
  path?: string;
  /** Block sizes (default: the Zarr chunks, so each task reads exactly one chunk). */
  chunks?: ChunksSpec;
  name?: string;
}

export interface ToZarrOptions {
  /** The array's path inside the store's hierarchy (default: the root). */
  path?: string;
  /** Replace an existing array or group there (for a directory: deletes it first). */
  overwrite?: boolean;
  /** Zarr v3 codecs (default: raw little-endian bytes). Any zarrita can encode. */
  codecs?: readonly { name: string; configuration?: Record<string, unknown> }[];
  attributes?: Record<string, unknown>;
  /** Options of the computation that writes the blocks. */
  compute?: ComputeOptions;
}

function storeSpec(source: ZarrSource, fn: string): { spec: StoreSpec; label: string } {
  if (typeof source === 'string' || source instanceof URL) {
    const root = source instanceof URL ? (source.protocol === 'file:' ? fileURLToPath(source) : undefined) : resolvePath(source);
    if (root === undefined) throw new TypeError(`${fn}: only file: URLs are supported (pass a zarrita store object for ${(source as URL).protocol} URLs)`);
    return { spec: { k: 'fs', root }, label: root };
  }
  if (source && typeof source === 'object' && typeof (source as ZarrStore).get === 'function') {
    const label = (source as object).constructor?.name ?? 'store';
    return { spec: registerStore(source, label), label };
  }
  throw new TypeError(`${fn}: expected a directory path, a file: URL or a Zarr store object (with get/set), got ${typeof source}`);
}

const normPath = (p: string | undefined): string => {
  const s = (p ?? '/').replace(/^\/+|\/+$/g, '');
  return s === '' ? '/' : `/${s}`;
};

let reads = 0;

/**
 * A lazy array over a Zarr array (v2 or v3). The metadata is read now; each block is read by
 * its own task when computed.
 */
export async function fromZarr(source: ZarrSource, opts: FromZarrOptions = {}): Promise<ChunkedArray> {
  const { spec, label } = storeSpec(source, 'fromZarr');
  const target: ZarrTarget = { store: spec, path: normPath(opts.path) };
  const z = await loadZarrita();
  let arr: ZArray;
  try {
    arr = (await z.open(z.root((await storeOf(spec)) as never).resolve(target.path), { kind: 'array' })) as unknown as ZArray;
  } catch (e) {
    throw new Error(`fromZarr: no Zarr array at '${target.path}' in ${label}: ${(e as Error).message}`, { cause: e });
  }
  const zdt = String(arr.dtype);
  const dtype = ZARR_DTYPES[zdt];
  if (!dtype) throw new TypeError(`fromZarr: Zarr data type '${zdt}' is not supported (supported: ${Object.keys(ZARR_DTYPES).join(', ')})`);
  const shape = [...arr.shape];
  const chunks = normalizeChunks(opts.chunks ?? shape.map((s, d) => Math.max(1, Math.min(s, arr.chunks[d]))), shape, dtype);
  // Every call gets its own name: the store may have been rewritten since an earlier read.
  const name = opts.name ?? `from-zarr-${tokenize(target, shape, zdt, chunks, process.pid, ++reads, Date.now())}`;
  const out = fromBlocks<NDArray>('from-zarr', name, shape, chunks, dtype, (idx, key) =>
    taskNode(key, opRef('zarrRead'), [lit(target), lit(name), lit(dtype), lit(blockOffset(chunks, idx)), lit(blockShape(chunks, idx))]), []);
  if (spec.k === 'local') (out.layer.layer as BlockLayer).callerThread = true;
  return out as ChunkedArray;
}

/** Block sizes that are regular (all equal but a smaller last one), or null. */
function regularChunk(sizes: readonly number[]): number | null {
  const first = sizes[0];
  for (let i = 1; i < sizes.length; i++) {
    if (sizes[i] !== first && !(i === sizes.length - 1 && sizes[i] < first)) return null;
  }
  return first;
}

/**
 * Writes the array to Zarr (v3), one task per block, and returns the stored array read back
 * lazily (Dask's `return_stored`). Zarr needs one chunk shape: blocks of uneven sizes are first
 * rechunked to the largest block size (Dask asks the caller to do it).
 */
export async function toZarr(x: ChunkedArray<unknown>, target: ZarrSource, opts: ToZarrOptions = {}): Promise<ChunkedArray> {
  if (x.shape.some((s) => Number.isNaN(s))) throw new RangeError('toZarr: the array has unknown chunk sizes (after a lazy boolean mask); call computeChunkSizes() first');
  const { spec, label } = storeSpec(target, 'toZarr');
  const path = normPath(opts.path);
  const t: ZarrTarget = { store: spec, path };
  const regular = x.chunks.map((c) => regularChunk(c));
  const src = regular.every((r) => r !== null) ? x : rechunk(x, x.chunksize);
  const chunkShape = src.chunks.map((c) => Math.max(1, c[0]));
  const z = await loadZarrita();
  const store = await storeOf(spec);
  if (typeof store.set !== 'function') throw new TypeError(`toZarr: store ${label} is read-only (it has no set method)`);
  const loc = z.root(store as never).resolve(path);
  const exists = (await store.get(loc.resolve('zarr.json').path as `/${string}`)) !== undefined || (await store.get(loc.resolve('.zarray').path as `/${string}`)) !== undefined || (await store.get(loc.resolve('.zgroup').path as `/${string}`)) !== undefined;
  if (exists && !opts.overwrite) throw new Error(`toZarr: '${path}' in ${label} already holds a Zarr array or group; pass { overwrite: true } to replace it`);
  if (exists && spec.k === 'fs') await rm(joinPath(spec.root, path), { recursive: true, force: true });
  const dtype: DType = src.dtype;
  await z.create(loc as never, {
    shape: [...src.shape],
    chunkShape,
    dtype: zarrDataType(dtype) as never,
    codecs: (opts.codecs ?? [{ name: 'bytes', configuration: { endian: 'little' } }]) as never,
    fillValue: (dtype === 'bool' ? false : 0) as never,
    attributes: opts.attributes ?? {},
  });
  const name = `to-zarr-${tokenize(src.name, t, chunkShape, process.pid, Date.now())}`;
  const grid = src.numblocks;
  const writes = fromBlocks<NDArray>('to-zarr', name, grid, grid.map((g) => new Array<number>(g).fill(1)), 'float64', (idx, key) =>
    taskNode(key, opRef('zarrWrite'), [lit(t), lit(name), lit(blockOffset(src.chunks, idx)), ref(src.key(idx))]), [src]);
  if (spec.k === 'local') (writes.layer.layer as BlockLayer).callerThread = true;
  await writes.compute(opts.compute ?? {});
  return fromZarr(target, { path });
}
