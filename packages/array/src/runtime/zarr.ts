/**
 * Zarr I/O on the workers, through zarrita (loaded on first use: it is ESM-only and not needed
 * by arrays that never touch Zarr). A store travels in the graph as plain data (`StoreSpec`):
 * a filesystem root, which every worker opens itself, or the id of a store object registered in
 * the calling thread (usable only there; see io/zarr.ts).
 */
import { alloc, asNumbers, numbersToInt64, type DType, type TypedArray } from '../dtype';
import { sizeOf, stridesOf, type Block } from './block';

/** Where an array lives: a directory, or a store object kept in the calling thread's registry. */
export type StoreSpec = { readonly k: 'fs'; readonly root: string } | { readonly k: 'local'; readonly id: number; readonly label: string };

/** The part of a zarrita store pdask uses (zarrita's FileSystemStore, FetchStore, a Map...). */
export interface ZarrStore {
  get(key: `/${string}`, opts?: unknown): Promise<Uint8Array | undefined> | Uint8Array | undefined;
  set?(key: `/${string}`, value: Uint8Array): unknown;
}

/** One array of a store: the store, and the path of the array in its hierarchy ('/' = root). */
export interface ZarrTarget {
  readonly store: StoreSpec;
  readonly path: string;
}

type Zarrita = typeof import('zarrita');
/** An opened array (its store mutable: writes go through the same object). */
export type ZArray = import('zarrita').Array<import('zarrita').DataType, import('zarrita').Mutable>;

let zarrita: Promise<Zarrita> | undefined;
let fsStore: Promise<new (root: string) => ZarrStore> | undefined;

export function loadZarrita(): Promise<Zarrita> {
  return (zarrita ??= import('zarrita'));
}

const localStores = new Map<number, ZarrStore>();
let nextLocal = 1;

/** Registers a store object of this thread; tasks name it by the returned spec. */
export function registerStore(store: ZarrStore, label: string): StoreSpec {
  for (const [id, s] of localStores) if (s === store) return { k: 'local', id, label };
  const id = nextLocal++;
  localStores.set(id, store);
  return { k: 'local', id, label };
}

export async function storeOf(spec: StoreSpec): Promise<ZarrStore> {
  if (spec.k === 'local') {
    const s = localStores.get(spec.id);
    if (!s) {
      throw new Error(
        `Zarr store '${spec.label}' is a store object of the calling thread and cannot be used from a worker thread: ` +
          "compute with { scheduler: 'sync' }, or pass a filesystem path instead of a store object",
      );
    }
    return s;
  }
  // A directory store needs node:fs: named through a variable so a page's bundler leaves it out.
  const fsModule = '@zarrita/storage/fs';
  fsStore ??= (import(/* @vite-ignore */ fsModule) as Promise<typeof import('@zarrita/storage/fs')>).then((m) => m.default as unknown as new (root: string) => ZarrStore);
  const C = await fsStore;
  return new C(spec.root);
}

/** Opened arrays per worker, keyed by store, path and the metadata the graph expects. */
const opened = new Map<string, Promise<ZArray>>();

export async function openArray(t: ZarrTarget, token: string): Promise<ZArray> {
  const key = `${JSON.stringify(t)}|${token}`;
  let p = opened.get(key);
  if (!p) {
    p = (async () => {
      const z = await loadZarrita();
      const store = await storeOf(t.store);
      return (await z.open(z.root(store as never).resolve(t.path), { kind: 'array' })) as unknown as ZArray;
    })();
    opened.set(key, p);
    p.catch(() => opened.delete(key));
  }
  return p;
}

/** Zarr data types pdask reads, and the dtype each becomes. */
export const ZARR_DTYPES: Readonly<Record<string, DType>> = {
  float64: 'float64',
  float32: 'float32',
  int32: 'int32',
  uint8: 'uint8',
  bool: 'bool',
  // Widened without loss (there is no int8/int16/uint16 dtype here).
  int8: 'int32',
  int16: 'int32',
  uint16: 'int32',
  int64: 'int64',
  // Exact up to 2^53 (no uint64 dtype; see the README).
  uint32: 'float64',
  uint64: 'float64',
};

/** Copies what zarrita returned (any typed array, BoolArray, BigInt64Array) into our dtype. */
function toTyped(data: unknown, dtype: DType, n: number): TypedArray {
  const out = alloc(dtype, n);
  if (out instanceof BigInt64Array) {
    if (data instanceof BigInt64Array || data instanceof BigUint64Array) for (let i = 0; i < n; i++) out[i] = BigInt.asIntN(64, data[i]);
    else numbersToInt64(Array.from(data as ArrayLike<number>, Number), out);
  } else if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    for (let i = 0; i < n; i++) out[i] = Number(data[i]);
  } else if (ArrayBuffer.isView(data) && !(data instanceof DataView)) {
    out.set(data as unknown as ArrayLike<number>);
  } else {
    // zarrita's BoolArray: indexable through get(), iterable.
    let i = 0;
    for (const v of data as Iterable<boolean | number>) out[i++] = v ? (dtype === 'bool' ? 1 : Number(v)) : 0;
  }
  return out;
}

/**
 * One block: the region [offset, offset + shape) of the Zarr array, read from the Zarr chunks it
 * overlaps (one chunk when the blocks follow the Zarr chunks, the default).
 */
export async function zarrRead(t: ZarrTarget, token: string, dtype: DType, offset: readonly number[], shape: readonly number[]): Promise<Block> {
  const z = await loadZarrita();
  const arr = await openArray(t, token);
  const n = sizeOf(shape);
  if (shape.length === 0) {
    const r = await z.get(arr, null as never);
    const out = alloc(dtype, 1);
    out[0] = typeof r === 'bigint' ? Number(r) : Number(r as number | boolean);
    return { dtype, shape: [], data: out };
  }
  const sel = offset.map((o, d) => z.slice(o, o + shape[d]));
  const r = (await z.get(arr, sel)) as unknown as { data: unknown; shape: number[]; stride: number[] };
  const data = toTyped(r.data, dtype, n);
  const c = stridesOf(r.shape);
  if (r.stride.every((s, d) => s === c[d] || r.shape[d] === 1)) return { dtype, shape: [...shape], data };
  // Not C order (e.g. a Zarr v2 array with order 'F'): gather by strides.
  const out = alloc(dtype, n);
  const idx = new Array<number>(shape.length).fill(0);
  for (let o = 0; o < n; o++) {
    let p = 0;
    for (let d = 0; d < shape.length; d++) p += idx[d] * r.stride[d];
    out[o] = data[p];
    let d = shape.length - 1;
    while (d >= 0 && ++idx[d] === shape[d]) idx[d--] = 0;
  }
  return { dtype, shape: [...shape], data: out };
}

const ZARR_TYPED: Partial<Record<DType, string>> = { float64: 'float64', float32: 'float32', int64: 'int64', int32: 'int32', uint8: 'uint8', bool: 'bool' };

export const zarrDataType = (dtype: DType): string => ZARR_TYPED[dtype]!;

/**
 * Typed arrays for the Zarr data types that have no dtype of their own here (a region write into
 * an existing array of that type): values are converted as NumPy's astype does (wrapping ints).
 */
const NARROW: Readonly<Record<string, (d: ArrayLike<number>) => ArrayBufferView>> = {
  int8: (d) => Int8Array.from(d),
  int16: (d) => Int16Array.from(d),
  uint16: (d) => Uint16Array.from(d),
  uint32: (d) => Uint32Array.from(d),
  int64: (d) => BigInt64Array.from(d, (v) => BigInt(Math.trunc(v))),
  uint64: (d) => BigUint64Array.from(d, (v) => BigInt.asUintN(64, BigInt(Math.trunc(v)))),
};

/**
 * Writes one block at `offset`. Blocks never share a Zarr chunk (io/zarr.ts rechunks first), so
 * each Zarr chunk has exactly one writer. Returns a one-element marker (the block's size).
 */
export async function zarrWrite(t: ZarrTarget, token: string, offset: readonly number[], b: Block): Promise<Block> {
  const z = await loadZarrita();
  const arr = await openArray(t, token);
  const n = sizeOf(b.shape);
  const marker: Block = { dtype: 'float64', shape: b.shape.map(() => 1), data: Float64Array.of(n) };
  if (n === 0) return marker;
  // int64 data into an int64 array as it is; other narrowing reads the values as numbers.
  const narrow0 = b.dtype === 'int64' && String(arr.dtype) === 'int64' ? undefined : NARROW[String(arr.dtype)];
  const narrow = narrow0 && ((d: TypedArray) => narrow0(asNumbers(d)));
  if (b.shape.length === 0) {
    const v = narrow ? (narrow(b.data) as unknown as ArrayLike<unknown>)[0] : b.dtype === 'bool' ? b.data[0] !== 0 : b.data[0];
    await z.set(arr, null as never, v as never);
    return marker;
  }
  let data: unknown = b.data;
  if (narrow) data = narrow(b.data);
  else if (b.dtype === 'bool') data = new z.BoolArray(b.data.slice().buffer);
  else if (b.mem || (typeof SharedArrayBuffer !== 'undefined' && b.data.buffer instanceof SharedArrayBuffer)) data = b.data.slice();
  const sel = offset.map((o, d) => z.slice(o, o + b.shape[d]));
  await z.set(arr, sel, { data, shape: [...b.shape], stride: stridesOf(b.shape) } as never);
  return marker;
}

/** The value of a finished Zarr write (Dask's None). */
export function zarrWritten(): null {
  return null;
}
