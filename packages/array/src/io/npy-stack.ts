/**
 * Dask's npy stack (`da.to_npy_stack` / `da.from_npy_stack`): a directory with an `info` pickle
 * (chunks, dtype, axis) and one `<i>.npy` file per block along the stacking axis, every other
 * axis in one block. The files are NumPy's own format, so `np.load` and Dask read what pdask
 * writes and the other way round.
 */
import { checkOptions, lit, tokenize, type ComputeOptions, type OptionSchema } from '@pdask/core';
import { fromBlocks, type ChunkedArray } from '../array';
import { blockKey, sameChunks } from '../chunks';
import type { DType } from '../dtype';
import { blockLayer } from '../layer';
import type { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import { NOT_YET } from '../options';
import { rechunk } from '../rechunk/rechunk';
import { NPY_DESCR } from '../runtime/npy';
import { decodeInfo, encodeInfo } from './npy-info';
import { StoreWrite } from './store-write';
import { ref } from '@pdask/core';
import { lazyBuiltin, processId } from '@pdask/core';
const nodeFs = lazyBuiltin<typeof import('node:fs')>('node:fs', 'toNpyStack/fromNpyStack');
const nodePath = lazyBuiltin<typeof import('node:path')>('node:path', 'toNpyStack/fromNpyStack');

export interface ToNpyStackOptions {
  /** The axis the blocks are stacked along (default 0); every other axis is written in one block. */
  axis?: number;
  /** Options of the computation that writes the blocks. */
  compute?: ComputeOptions;
}
const TO: OptionSchema<ToNpyStackOptions> = { axis: 'integer', compute: 'object' };

let writes = 0;

/** Writes x as an npy stack in `dirname` (created if need be); resolves when every block is written. */
export async function toNpyStack(dirname: string, x: ChunkedArray<unknown>, options?: ToNpyStackOptions): Promise<void> {
  const o = checkOptions('da.toNpyStack', options, TO);
  const nd = x.ndim;
  const axis0 = o.axis ?? 0;
  if (axis0 < -nd || axis0 >= nd) throw new RangeError(`toNpyStack: axis ${axis0} is out of bounds for array of dimension ${nd}`);
  const axis = axis0 < 0 ? axis0 + nd : axis0;
  if (x.shape.some(Number.isNaN)) throw new RangeError('toNpyStack: unknown chunk sizes; call computeChunkSizes() first');
  const want = x.chunks.map((c, d) => (d === axis ? [...c] : [x.shape[d]]));
  const xx = want.every((c, d) => sameChunks(c, x.chunks[d])) ? x : rechunk(x, want);
  const dir = nodePath.resolve(dirname);
  nodeFs.mkdirSync(dir, { recursive: true });
  nodeFs.writeFileSync(nodePath.join(dir, 'info'), encodeInfo({ chunks: want, descr: NPY_DESCR[x.dtype], axis }));
  const name = `to-npy-stack-${tokenize(xx.name, dir, processId(), Date.now(), ++writes)}`;
  const n = xx.numblocks[axis];
  const blockOf = (i: number) => xx.chunks.map((_, d) => (d === axis ? i : 0));
  const layer = blockLayer(name, 'to-npy-stack', [n], ([i]) => arrayOps.npyWrite.task(blockKey(name, [i]), lit(nodePath.join(dir, `${i}.npy`)), ref(xx.key(blockOf(i)))), [xx.layer]);
  await new StoreWrite([layer], Array.from({ length: n }, (_, i) => blockKey(name, [i])), [dir]).compute(o.compute ?? {});
}

export interface FromNpyStackOptions {
  mmapMode?: unknown;
}
const FROM: OptionSchema<FromNpyStackOptions> = { mmapMode: NOT_YET };

const DTYPE_OF: Record<string, DType> = { '<f8': 'float64', '<f4': 'float32', '<i8': 'int64', '<i4': 'int32', '|u1': 'uint8', '|b1': 'bool', '|i1': 'int32', '<i2': 'int32', '<u2': 'int32', '<u4': 'int64', '<u8': 'float64' };

/** A lazy array over an npy stack (written by Dask or by toNpyStack): the info is read now, each block by its own task. */
export function fromNpyStack(dirname: string, options?: FromNpyStackOptions): ChunkedArray<NDArray> {
  checkOptions('da.fromNpyStack', options, FROM);
  const dir = nodePath.resolve(dirname);
  const infoPath = nodePath.join(dir, 'info');
  const info = decodeInfo(nodeFs.readFileSync(infoPath), infoPath);
  const dtype = DTYPE_OF[info.descr];
  if (!dtype) throw new TypeError(`fromNpyStack: data type '${info.descr}' in ${infoPath} is not supported (readable: ${Object.keys(DTYPE_OF).join(', ')})`);
  const { chunks, axis } = info;
  if (axis < 0 || axis >= chunks.length || chunks.some((c, d) => d !== axis && c.length !== 1)) throw new RangeError(`fromNpyStack: ${infoPath} describes chunks ${JSON.stringify(chunks)} along axis ${axis}, not a stack`);
  const shape = chunks.map((c) => c.reduce((a, b) => a + b, 0));
  const name = `from-npy-stack-${tokenize(dir, chunks, info.descr)}`;
  return fromBlocks<NDArray>('from-npy-stack', name, shape, chunks, dtype, (idx, key) =>
    arrayOps.npyRead.task(key, lit(nodePath.join(dir, `${idx[axis]}.npy`)), lit(chunks.map((c, d) => c[idx[d]]))), []);
}
