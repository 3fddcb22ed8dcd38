/**
 * toArray: a frame's or series' numeric values as a lazy @pdask/array ChunkedArray, one block of
 * rows per partition (Dask's `to_dask_array`). `{ lengths: true }` computes the partitions'
 * lengths first so the chunks are known, as Dask does; without it the row chunks are unknown
 * (NaN), as in Dask, until `computeChunkSizes()`. The array is made with @pdask/array's public
 * `fromDelayedBlocks`; @pdask/array is an optional peer dependency loaded on the first call,
 * so this package works without it.
 */
import { computeCollections, Delayed, layerNode, lit, ref, type ComputeOptions, type OptionSchema } from '@pdask/core';
import type { ChunkedArray, NDArray } from '@pdask/array';
import type { DataFrame } from './frame';
import type { Series } from './series';
import { FrameLayer, opName, partitionKey } from './graph';
import { dataframeOps } from './ops/index';
import type { ArrayDtype } from './ops/to-array';
import { checkWithCompute } from './options';
import { dtypeName, type TypeDesc } from './ops/types';

export interface ToArrayOptions extends ComputeOptions {
  /**
   * Compute the partitions' lengths now, so the array's chunks are known (Dask's `lengths=True`);
   * or give them (one per partition). Default false: unknown (NaN) row chunks.
   */
  lengths?: boolean | readonly number[];
}

const TO_ARRAY_OPTIONS: OptionSchema<Omit<ToArrayOptions, keyof ComputeOptions>> = {
  lengths: (v) => (typeof v === 'boolean' || (Array.isArray(v) && v.every((x) => Number.isInteger(x) && x >= 0)) ? undefined : 'true, false or one length per partition'),
};

/** NumPy's dtype of a column, as the kind and size NumPy's result_type works with. */
type NpType = { kind: 'f' | 'i' | 'u' | 'b'; bits: number };

function npTypeOf(t: TypeDesc, column: string, method: string): NpType {
  switch (t.id) {
    case 'float':
      return { kind: 'f', bits: t.bits };
    case 'int':
      // A masked integer column (Int64, ...) may hold <NA>: its values come as float64 with NaN.
      if (t.nullable) return { kind: 'f', bits: 64 };
      return { kind: t.signed ? 'i' : 'u', bits: t.bits };
    case 'bool':
      if (t.nullable) break;
      return { kind: 'b', bits: 8 };
    default:
      break;
  }
  throw new TypeError(`${method}: column '${column}' is ${dtypeName(t)}; only numeric columns (floats, integers) and all-boolean frames become arrays (select the numeric columns, or astype('float64'))`);
}

/** NumPy's result_type of the columns (as pandas' DataFrame.values gives it), as an @pdask/array dtype. */
export function arrayDtypeOf(types: readonly TypeDesc[], columns: readonly string[], method: string): ArrayDtype {
  const np = types.map((t, i) => npTypeOf(t, columns[i], method));
  if (np.some((t) => t.kind === 'b')) {
    if (np.every((t) => t.kind === 'b')) return 'bool';
    throw new TypeError(`${method}: booleans mixed with numbers make an object array in pandas; astype the boolean columns first`);
  }
  const floats = np.filter((t) => t.kind === 'f');
  const signed = Math.max(0, ...np.filter((t) => t.kind === 'i').map((t) => t.bits));
  const unsigned = Math.max(0, ...np.filter((t) => t.kind === 'u').map((t) => t.bits));
  // The integers' own result type: a signed type wide enough for both, float64 past 64 bits.
  let ints: NpType | null = null;
  if (signed && unsigned) ints = unsigned < signed ? { kind: 'i', bits: signed } : unsigned < 64 ? { kind: 'i', bits: unsigned * 2 } : { kind: 'f', bits: 64 };
  else if (signed) ints = { kind: 'i', bits: signed };
  else if (unsigned) ints = { kind: 'u', bits: unsigned };
  let r: NpType;
  if (floats.length) {
    const fb = Math.max(...floats.map((t) => t.bits));
    // float32 holds int8/int16/uint8/uint16 exactly; wider integers need float64.
    r = fb === 32 && (!ints || (ints.kind !== 'f' && ints.bits <= 16)) ? { kind: 'f', bits: 32 } : { kind: 'f', bits: 64 };
  } else r = ints!;
  // @pdask/array's dtypes: float64/32, int64/32, uint8. Narrower integers widen exactly; uint32 goes to int64, uint64 to float64.
  if (r.kind === 'f') return r.bits === 32 ? 'float32' : 'float64';
  if (r.kind === 'u') return r.bits === 8 ? 'uint8' : r.bits <= 16 ? 'int32' : r.bits === 32 ? 'int64' : 'float64';
  return r.bits <= 32 ? 'int32' : 'int64';
}

async function loadArray(method: string): Promise<typeof import('@pdask/array')> {
  try {
    return await import('@pdask/array');
  } catch (e) {
    throw new Error(`${method} needs the package @pdask/array (an optional peer dependency of @pdask/dataframe): npm install @pdask/array`, { cause: e });
  }
}

/** The partitions' lengths, computed (Dask's `map_partitions(len).compute()`). */
async function partitionLengths(c: DataFrame | Series, compute: ComputeOptions): Promise<number[]> {
  const name = opName('partition-lengths', c.name);
  const layer = layerNode(
    new FrameLayer(name, 'partition-lengths', function* () {
      for (let i = 0; i < c.npartitions; i++) yield dataframeOps.partLength.task(partitionKey(name, i), ref(partitionKey(c.name, i)));
    }),
    [c.layer],
  );
  const lens = Array.from({ length: c.npartitions }, (_, i) => new Delayed<number>(partitionKey(name, i), layer));
  return (await computeCollections(lens, compute)) as number[];
}

export async function toArrayOf(c: DataFrame | Series, columns: readonly string[], types: readonly TypeDesc[], oneDim: boolean, opts: ToArrayOptions | undefined, method: string): Promise<ChunkedArray<NDArray>> {
  const { own, compute } = checkWithCompute<ToArrayOptions>(method, opts, TO_ARRAY_OPTIONS);
  const dtype = arrayDtypeOf(types, columns, method);
  let lengths: number[];
  if (Array.isArray(own.lengths)) {
    if (own.lengths.length !== c.npartitions) throw new RangeError(`${method}: ${own.lengths.length} lengths given for ${c.npartitions} partitions`);
    lengths = [...own.lengths];
  } else lengths = own.lengths === true ? await partitionLengths(c, compute) : Array.from({ length: c.npartitions }, () => Number.NaN);
  const da = await loadArray(method);
  const name = opName('values', c.name, columns, dtype, oneDim);
  const layer = layerNode(
    new FrameLayer(name, 'values', function* () {
      for (let i = 0; i < c.npartitions; i++) yield dataframeOps.partToBlock.task(partitionKey(name, i), ref(partitionKey(c.name, i)), lit(columns), lit(dtype), lit(oneDim));
    }),
    [c.layer],
  );
  const blocks = Array.from({ length: c.npartitions }, (_, i) => new Delayed<unknown>(partitionKey(name, i), layer));
  return da.fromDelayedBlocks(blocks, { chunks: oneDim ? [lengths] : [lengths, [columns.length]], dtype });
}
