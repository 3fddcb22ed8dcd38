/**
 * Gathering the rows of number columns without nulls by a row order (a sort's output), reading
 * the pieces a shuffle delivered where they are: the generic take first copied a column of many
 * chunks into a new array, then gathered from it. And scattering such a column into the ranges
 * of a split.
 */
import { DataType, makeData, makeVector, type Data, type Vector } from 'apache-arrow';
import { scratch, type Numbers } from './sort-scratch';

type NumbersCtor = { new (n: number): Numbers; readonly BYTES_PER_ELEMENT: number; readonly name: string };

/** Whether the vector's values are one typed array per chunk with no nulls (floats and integers). */
export function isPlainNumbers(v: Vector): boolean {
  const t = v.type as DataType;
  return (DataType.isFloat(t) || DataType.isInt(t)) && v.data.every((d) => !(d.nullCount > 0 && d.nullBitmap && d.nullBitmap.length > 0));
}

/**
 * A plain number vector's values in one array: its own when it has one chunk, else copied into
 * this thread's scratch array `slot` (valid until that slot is used again).
 */
export function numbersOf(v: Vector, slot: string): Numbers {
  if (v.data.length === 1) return (v.data[0].values as Numbers).subarray(0, v.length) as Numbers;
  const Ctor = (v.data[0].values as Numbers).constructor as NumbersCtor;
  const out = scratch(Ctor, slot, v.length);
  let at = 0;
  for (const d of v.data) {
    out.set((d.values as Numbers).subarray(0, d.length) as never, at);
    at += d.length;
  }
  return out;
}

export const vectorOf = (values: Numbers, type: DataType): Vector => makeVector(makeData({ type, length: values.length, nullCount: 0, data: values } as unknown as Parameters<typeof makeData>[0]) as Data);

/** `src[order[i]]` for every i, as a vector of `type` (a new array: the result outlives the task). */
export function gatherNumbers(src: Numbers, order: Int32Array, type: DataType): Vector {
  const out = new (src.constructor as NumbersCtor)(order.length);
  if (src instanceof Float64Array) gatherFloat64(src, order, out as Float64Array);
  else for (let i = 0; i < order.length; i++) out[i] = src[order[i]];
  return vectorOf(out, type);
}

/**
 * The values of each range r (the rows i with `ranges[i] === r`, in row order; range r starts at
 * `start[r]` of the ranges laid end to end, `start` ending with the row count), as vectors of
 * `type`, each with an array of its own (the pieces leave the task: moved to other threads,
 * spilled). One pass over the rows writing each value to its range: the gather by each range's
 * row numbers read the whole column once per range (a new cache line for almost every row of a
 * partition cut in 20), which was a fifth of setIndex's worker time. The values are written
 * into a scratch array (warm), then each piece copied out of it: writing straight into the
 * pieces' new arrays, through a piece per value, cost more.
 * `groups` (ascending, from 0 to the number of ranges): piece p holds ranges groups[p] up to
 * groups[p + 1], one after another (default: a piece per range).
 */
export function scatterNumbers(src: Numbers, ranges: Int32Array, start: Int32Array, type: DataType, groups?: Int32Array): Vector[] {
  const n = start.length - 1;
  const all = scratch(src.constructor as NumbersCtor, 'scatter', src.length);
  const at = start.slice(0, n);
  if (src instanceof Float64Array) scatterFloat64(src, ranges, at, all as Float64Array);
  else for (let i = 0; i < src.length; i++) all[at[ranges[i]]++] = src[i];
  const first = (p: number): number => start[groups ? groups[p] : p];
  return Array.from({ length: groups ? groups.length - 1 : n }, (_, p) => vectorOf(all.slice(first(p), first(p + 1)), type));
}

function scatterFloat64(src: Float64Array, ranges: Int32Array, at: Int32Array, out: Float64Array): void {
  for (let i = 0; i < src.length; i++) out[at[ranges[i]]++] = src[i];
}

/** The common case in a loop of its own, so that its element access stays monomorphic. */
function gatherFloat64(src: Float64Array, order: Int32Array, out: Float64Array): void {
  for (let i = 0; i < order.length; i++) out[i] = src[order[i]];
}
