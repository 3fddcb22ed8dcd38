/**
 * Zarr storage (Dask's from_zarr / to_zarr) on zarrita: arrays larger than memory live on disk,
 * read one block per task and written one block per task. Metadata is read or created in the
 * calling thread; chunk data only ever moves inside tasks.
 */
import { checkOptions, lit, ref, tokenize, type ComputeOptions, type OptionSchema } from '@pdask/core';
import { CHUNKS, NOT_YET } from '../options';
import { CALLER_THREAD, fromBlocks, type ChunkedArray } from '../array';
import { blockOffset, blockShape, normalizeChunks, sameChunks, type ChunksSpec } from '../chunks';
import type { DType } from '../dtype';
import type { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import { astype } from '../elementwise/build';
import { getitem } from '../slicing/slicing';
import { rechunk } from '../rechunk/rechunk';
import { parseRegion, regionChunks, type Region, type RegionEntry } from './zarr-region';
import { ZarrWrite } from './zarr-write';
import { loadZarrita, registerStore, storeOf, ZARR_DTYPES, zarrDataType, type StoreSpec, type ZArray, type ZarrStore, type ZarrTarget } from '../runtime/zarr';
import { lazyBuiltin, processId } from '@pdask/core';
const nodeFsp = lazyBuiltin<typeof import('node:fs/promises')>('node:fs/promises', 'fromZarr/toZarr on a directory');
const nodePath = lazyBuiltin<typeof import('node:path')>('node:path', 'fromZarr/toZarr on a directory');
const nodeUrl = lazyBuiltin<typeof import('node:url')>('node:url', 'fromZarr/toZarr on a directory');

export type { ZarrStore } from '../runtime/zarr';
export type { RegionEntry } from './zarr-region';
export { ZarrWrite } from './zarr-write';

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
  /**
   * Options of the computation that writes the blocks, or `false`: write nothing now and
   * resolve to a `ZarrWrite` to compute later (Dask's `compute=False`). The Zarr metadata is
   * created (or, with `region`, read) either way.
   */
  compute?: ComputeOptions | false;
  /**
   * Write into this part of an existing Zarr array instead of creating one (Dask's `region=`):
   * one slice per dimension ('2:5', ':', `da.s(2, 5)`), of the array's shape. The array may be
   * v2 or v3 with any chunks; values are cast to its data type.
   */
  region?: readonly RegionEntry[];
}

function storeSpec(source: ZarrSource, fn: string): { spec: StoreSpec; label: string } {
  if (typeof source === 'string' || source instanceof URL) {
    const root = source instanceof URL ? (source.protocol === 'file:' ? nodeUrl.fileURLToPath(source) : undefined) : nodePath.resolve(source);
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
const FROM_SCHEMA: OptionSchema<FromZarrOptions & { storageOptions?: unknown; component?: unknown; inlineArray?: unknown }> = {
  path: 'string',
  chunks: CHUNKS,
  name: 'string',
  component: { unsupported: "pdask calls it 'path'" },
  storageOptions: NOT_YET,
  inlineArray: NOT_YET,
};

const TO_SCHEMA: OptionSchema<ToZarrOptions & { storageOptions?: unknown; component?: unknown; returnStored?: unknown; zarrFormat?: unknown }> = {
  path: 'string',
  overwrite: 'boolean',
  codecs: 'array',
  attributes: 'object',
  compute: { anyOf: ['object', { oneOf: [false] }] },
  region: 'array',
  component: { unsupported: "pdask calls it 'path'" },
  storageOptions: NOT_YET,
  returnStored: { unsupported: 'toZarr always returns the stored array (or a ZarrWrite with compute: false)' },
  zarrFormat: { unsupported: 'pdask writes Zarr v3' },
};

export async function fromZarr(source: ZarrSource, options?: FromZarrOptions): Promise<ChunkedArray> {
  const opts = checkOptions('da.fromZarr', options, FROM_SCHEMA);
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
  const name = opts.name ?? `from-zarr-${tokenize(target, shape, zdt, chunks, processId(), ++reads, Date.now())}`;
  const out = fromBlocks<NDArray>('from-zarr', name, shape, chunks, dtype, (idx, key) =>
    arrayOps.zarrRead.task(key, lit(target), lit(name), lit(dtype), lit(blockOffset(chunks, idx)), lit(blockShape(chunks, idx))), [], [], spec.k === 'local' ? CALLER_THREAD : {});
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

let writes = 0;

/** The write tasks, one per block of `src`, at `origin` plus the block's offset. */
function writeLayer(src: ChunkedArray<unknown>, t: ZarrTarget, spec: StoreSpec, origin: readonly number[]): ChunkedArray<unknown> {
  const name = `to-zarr-${tokenize(src.name, t, origin, processId(), Date.now(), ++writes)}`;
  const grid = src.numblocks;
  const out = fromBlocks<NDArray>('to-zarr', name, grid, grid.map((g) => new Array<number>(g).fill(1)), 'float64', (idx, key) =>
    arrayOps.zarrWrite.task(key, lit(t), lit(name), lit(blockOffset(src.chunks, idx).map((o, d) => o + origin[d])), ref(src.key(idx))), [src], [], spec.k === 'local' ? CALLER_THREAD : {});
  return out;
}

type Zarrita = Awaited<ReturnType<typeof loadZarrita>>;
type Location = ReturnType<ReturnType<Zarrita['root']>['resolve']>;

/** A new Zarr v3 array for x (replacing what is there only with `overwrite`); x with blocks that follow its chunks. */
async function createTarget(x: ChunkedArray<unknown>, z: Zarrita, store: ZarrStore, loc: Location, spec: StoreSpec, path: string, where: string, opts: ToZarrOptions): Promise<ChunkedArray<unknown>> {
  const regular = x.chunks.map((c) => regularChunk(c));
  const src = regular.every((r) => r !== null) ? x : rechunk(x, x.chunksize);
  const chunkShape = src.chunks.map((c) => Math.max(1, c[0]));
  const has = async (name: string) => (await store.get(loc.resolve(name).path as `/${string}`)) !== undefined;
  const exists = (await has('zarr.json')) || (await has('.zarray')) || (await has('.zgroup'));
  if (exists && !opts.overwrite) throw new Error(`toZarr: ${where} already holds a Zarr array or group; pass { overwrite: true } to replace it`);
  if (exists && spec.k === 'fs') await nodeFsp.rm(nodePath.join(spec.root, path), { recursive: true, force: true });
  const dtype: DType = src.dtype;
  await z.create(loc as never, {
    shape: [...src.shape],
    chunkShape,
    dtype: zarrDataType(dtype) as never,
    codecs: (opts.codecs ?? [{ name: 'bytes', configuration: { endian: 'little' } }]) as never,
    fillValue: (dtype === 'bool' ? false : 0) as never,
    attributes: opts.attributes ?? {},
  });
  return src;
}

/** For a region write: the region, and x cast to the existing array's type with blocks split at its chunks. */
async function regionTarget(x: ChunkedArray<unknown>, z: Zarrita, loc: Location, where: string, opts: ToZarrOptions & { region: readonly RegionEntry[] }): Promise<{ src: ChunkedArray<unknown>; region: Region }> {
  for (const k of ['overwrite', 'codecs', 'attributes'] as const) {
    if (opts[k] !== undefined) throw new TypeError(`toZarr: '${k}' applies when creating an array; region writes into an existing one`);
  }
  let arr: ZArray;
  try {
    arr = (await z.open(loc as never, { kind: 'array' })) as unknown as ZArray;
  } catch (e) {
    throw new Error(`toZarr: region writes into an existing Zarr array, and there is none at ${where} (${(e as Error).message})`, { cause: e });
  }
  const zdt = String(arr.dtype);
  const dtype = ZARR_DTYPES[zdt];
  if (!dtype) throw new TypeError(`toZarr: cannot write into Zarr data type '${zdt}' at ${where} (supported: ${Object.keys(ZARR_DTYPES).join(', ')})`);
  const region = parseRegion(opts.region, arr.shape, where);
  if (region.shape.length !== x.ndim || region.shape.some((n, d) => n !== x.shape[d])) {
    throw new RangeError(`toZarr: region of shape [${region.shape.join(', ')}] does not match the array's shape [${x.shape.join(', ')}]`);
  }
  const cast = x.dtype === dtype ? x : astype(x, dtype);
  const want = regionChunks(region, arr.chunks);
  return { src: cast.chunks.every((c, d) => sameChunks(c, want[d])) ? cast : rechunk(cast, want), region };
}

/**
 * Writes the array to Zarr (v3), one task per block, and returns the stored array read back
 * lazily (Dask's `return_stored`). Zarr needs one chunk shape: blocks of uneven sizes are first
 * rechunked to the largest block size (Dask asks the caller to do it). With `region`, writes
 * into part of an existing array and returns that part read back. With `compute: false`,
 * returns the write as a `ZarrWrite` instead of running it.
 */
export async function toZarr(x: ChunkedArray<unknown>, target: ZarrSource, opts: ToZarrOptions & { compute: false }): Promise<ZarrWrite>;
export async function toZarr(x: ChunkedArray<unknown>, target: ZarrSource, opts?: ToZarrOptions & { compute?: ComputeOptions }): Promise<ChunkedArray>;
export async function toZarr(x: ChunkedArray<unknown>, target: ZarrSource, opts?: ToZarrOptions): Promise<ChunkedArray | ZarrWrite>;
export async function toZarr(x: ChunkedArray<unknown>, target: ZarrSource, opts?: ToZarrOptions): Promise<ChunkedArray | ZarrWrite> {
  return writeZarr(x, target, opts, 'da.toZarr');
}

/** toZarr, its options checked under the name `who` (the function or the method). */
export async function writeZarr(x: ChunkedArray<unknown>, target: ZarrSource, options: ToZarrOptions | undefined, who: string): Promise<ChunkedArray | ZarrWrite> {
  const opts = checkOptions(who, options, TO_SCHEMA);
  if (x.shape.some((s) => Number.isNaN(s))) throw new RangeError('toZarr: the array has unknown chunk sizes (after a lazy boolean mask); call computeChunkSizes() first');
  const { spec, label } = storeSpec(target, 'toZarr');
  const path = normPath(opts.path);
  const t: ZarrTarget = { store: spec, path };
  const z = await loadZarrita();
  const store = await storeOf(spec);
  if (typeof store.set !== 'function') throw new TypeError(`toZarr: store ${label} is read-only (it has no set method)`);
  const loc = z.root(store as never).resolve(path);
  const where = `'${path}' in ${label}`;
  const { src, region } = opts.region !== undefined ? await regionTarget(x, z, loc, where, { ...opts, region: opts.region }) : { src: await createTarget(x, z, store, loc, spec, path, where, opts), region: undefined };
  const writesOf = writeLayer(src, t, spec, region ? region.start : src.shape.map(() => 0));
  const write = new ZarrWrite(writesOf.layer, writesOf.keys(), where);
  if (opts.compute === false) return write;
  await write.compute(opts.compute ?? {});
  const stored = await fromZarr(target, { path });
  return region ? (getitem(stored, region.start.map((s0, d) => ({ start: s0, stop: s0 + region.shape[d] }))) as ChunkedArray) : stored;
}
