/**
 * Partition-wise operations: each takes one partition (an array) and returns a new one. User
 * functions arrive already resolved (core turns function arguments, `fnArg(…)`, into functions). The
 * element-wise ones (map, filter, flatMap, pluck …) are fused stages of ops/pipeline.ts.
 */
import { sizeOf } from '@pdask/core';
import { KeyTable } from './keys';
import { getKey, reifyElement, userError, type KeyGetter } from './spec';

type Fn = (...args: unknown[]) => unknown;

/** `fn(partition, ...extra)`, its result (any iterable) as the new partition. */
export const mapPartitionsCall = (p: number, fn: Fn, part: readonly unknown[], extra: readonly unknown[]): unknown[] => {
  let r: unknown;
  try {
    r = fn(part, ...extra);
  } catch (e) {
    throw userError(e, 'mapPartitions', p);
  }
  if (Array.isArray(r)) return reifyAll(r, p);
  if (r !== null && r !== undefined && typeof r !== 'string' && typeof (r as Iterable<unknown>)[Symbol.iterator] === 'function') return reifyAll([...(r as Iterable<unknown>)], p);
  throw new TypeError(`Bag.mapPartitions: the function returned ${r === null ? 'null' : typeof r} for partition ${p}; it must return an array or another iterable`);
};

/** The partition with its iterator elements materialised (see reifyElement); the same array when there are none. */
function reifyAll(part: unknown[], p: number): unknown[] {
  let out: unknown[] | undefined;
  for (let j = 0; j < part.length; j++) {
    const x = part[j];
    if (typeof x !== 'object' || x === null) continue;
    const y = reifyElement(x, p, j);
    if (y !== x) (out ??= part.slice())[j] = y;
  }
  return out ?? part;
}

/** Element-wise tuples of several partitions of equal length. */
export const zipPartitions = (p: number, parts: readonly (readonly unknown[])[]): unknown[][] => {
  const n = parts[0]?.length ?? 0;
  for (const q of parts) {
    if (q.length !== n) throw new Error(`zip: partition ${p} of the bags has ${n} and ${q.length} elements; the bags must be partitioned identically`);
  }
  const out = new Array<unknown[]>(n);
  for (let j = 0; j < n; j++) out[j] = parts.map((q) => q[j]);
  return out;
};

/** Cartesian product of two partitions, as [a, b] pairs. */
export const productPartition = (a: readonly unknown[], b: readonly unknown[]): unknown[][] => {
  const out: unknown[][] = [];
  for (const x of a) for (const y of b) out.push([x, y]);
  return out;
};

/** Array of an iterable (partitions built from Delayed values). */
export const toPartition = (p: number, value: unknown): unknown[] => {
  if (Array.isArray(value)) return reifyAll(value, p);
  if (value !== null && value !== undefined && typeof value !== 'string' && typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function') {
    return reifyAll([...(value as Iterable<unknown>)], p);
  }
  throw new TypeError(`fromDelayed: the value of partition ${p} is ${value === null ? 'null' : typeof value}, not an array or other iterable`);
};

/** The concatenation of partitions: a bag's computed result, and repartition's merge. */
export const concatPartitions = (parts: readonly (readonly unknown[])[]): unknown[] => {
  let n = 0;
  for (const q of parts) n += q.length;
  const out = new Array<unknown>(n);
  let i = 0;
  for (const q of parts) for (let j = 0; j < q.length; j++) out[i++] = q[j];
  return out;
};

/** `part.slice(start, end)`: repartition's split and take's prefix. */
export const slicePartition = (part: readonly unknown[], start: number, end?: number): unknown[] => part.slice(start, end);

/** An alias of another key (concat of bags keeps the key scheme `${name}-${i}`). */
export const alias = <T>(x: T): T => x;

/** `x[i]` — one output of a task that produces several (accumulate, shuffle). */
export const pick = (x: readonly unknown[], i: number): unknown => x[i];

/** The numbers of a `range` partition, generated on the worker rather than shipped. */
export const rangePartition = (start: number, stop: number): number[] => {
  const out = new Array<number>(Math.max(0, stop - start));
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return out;
};

/**
 * Running `binop` over a partition, continuing from the previous partition's carry
 * (`[hasValue, value]`). Returns `[elements, carry]`.
 */
export const accumulatePartition = (p: number, binop: Fn, part: readonly unknown[], carry: readonly [boolean, unknown], emitCarry: boolean): [unknown[], [boolean, unknown]] => {
  const out: unknown[] = [];
  let [has, acc] = carry;
  if (emitCarry && has) out.push(acc);
  let j = 0;
  try {
    for (; j < part.length; j++) {
      acc = has ? binop(acc, part[j]) : part[j];
      has = true;
      out.push(acc);
    }
  } catch (e) {
    throw userError(e, 'accumulate', p, j);
  }
  return [out, [has, acc]];
};

/**
 * Pairs `[otherElement, element]` for elements whose `onSelf` key equals an `onOther` key of
 * `other` (Dask's `Bag.join`, which yields (other, self) tuples).
 */
export const joinPartition = (p: number, part: readonly unknown[], other: unknown, onSelf: KeyGetter, onOther: KeyGetter): unknown[][] => {
  const index = new KeyTable();
  const lists: unknown[][] = [];
  const items = Array.isArray(other) ? other : [...(other as Iterable<unknown>)];
  try {
    for (const y of items) {
      const s = index.slot(getKey(onOther, y));
      if (s < 0) lists.push([y]);
      else lists[s].push(y);
    }
  } catch (e) {
    throw userError(e, 'join', p);
  }
  const out: unknown[][] = [];
  let j = 0;
  try {
    for (; j < part.length; j++) {
      const s = index.find(getKey(onSelf, part[j]));
      if (s >= 0) for (const y of lists[s]) out.push([y, part[j]]);
    }
  } catch (e) {
    throw userError(e, 'join', p, j);
  }
  return out;
};

/** `fn(value, ...extra)` for a lazy scalar (Item.apply). */
export const applyToItem = (fn: Fn, value: unknown, extra: readonly unknown[]): unknown => fn(value, ...extra);

/** Piece `q` of `k` near-equal pieces of a partition (repartition to more partitions). */
export const slicePiece = (part: readonly unknown[], q: number, k: number): unknown[] =>
  part.slice(Math.floor((q * part.length) / k), Math.floor(((q + 1) * part.length) / k));

/** The numbers of a packed `fromSequence` partition, as an array again. */
export const unpackNumbers = (packed: Float64Array): number[] => {
  const out = new Array<number>(packed.length);
  for (let i = 0; i < packed.length; i++) out[i] = packed[i];
  return out;
};

/** `fn(...before, x, ...after)` where `before` is the first `at` of `rest`: db.map with the first bag not first. */
export const callPlaced = (x: unknown, fn: Fn, at: number, ...rest: unknown[]): unknown => fn(...rest.slice(0, at), x, ...rest.slice(at));

/** The estimated memory of a partition (core's sizeOf), as a one-element partition: repartition by size measures with it. */
export const partitionBytes = (part: readonly unknown[]): number[] => [sizeOf(part)];

/** A line of a JSON Lines file: [] for a blank line, else [its value] (readJson's flatMap step). */
export const parseJsonLine = (line: string): unknown[] => {
  if (/^\s*$/.test(line)) return [];
  try {
    return [JSON.parse(line)];
  } catch (e) {
    const text = line.trimEnd();
    throw new SyntaxError(`readJson: a line is not valid JSON (${(e as Error).message}): ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)}`);
  }
};
