/** Making bags from values: fromSequence, range, fromDelayed, concat, zip. */
import { arr, checkOptions, isCollection, layerNode, lit, ref, toArgSpec, tokenize, type LayerNode, type OptionSchema } from '@pdask/core';
import { Bag, isBag } from './bag';
import { BagLayer, describe, partitionKey } from './graph';
import { bagOps } from './ops';
import { opName, partitionwise } from './partitionwise';
import { sourcePipe } from './pipe';
import { checkNpartitions } from './shuffle';
import { dataToken, packNumbers } from './token';

export interface FromSequenceOptions {
  /** Number of partitions (at most one per element). Default: about 100. */
  npartitions?: number;
  /** Elements per partition (instead of npartitions). */
  partitionSize?: number;
}

const FROM_SEQUENCE_OPTIONS: OptionSchema<FromSequenceOptions> = { npartitions: 'number', partitionSize: 'number' };

/** Splits n elements into parts of near-equal sizes (the first ones one larger). */
function evenSizes(n: number, parts: number): number[] {
  const base = Math.floor(n / parts);
  const extra = n % parts;
  return Array.from({ length: parts }, (_, i) => base + (i < extra ? 1 : 0));
}

/** A bag of the elements of an array or other iterable, in order, split into partitions. */
export function fromSequence<T>(seq: Iterable<T>, options?: FromSequenceOptions): Bag<T> {
  const opts = checkOptions('fromSequence', options, FROM_SEQUENCE_OPTIONS);
  if (seq === null || seq === undefined || typeof (seq as Iterable<T>)[Symbol.iterator] !== 'function' || typeof seq === 'string') {
    throw new TypeError(`fromSequence: expected an array or other iterable, got ${describe(seq)}`);
  }
  if (opts.npartitions !== undefined && opts.partitionSize !== undefined) {
    throw new TypeError('fromSequence: give npartitions or partitionSize, not both');
  }
  const items: readonly T[] = Array.isArray(seq) ? seq : [...seq];
  const len = items.length;
  let sizes: number[];
  if (opts.partitionSize !== undefined) {
    const size = checkNpartitions(opts.partitionSize, 'fromSequence (partitionSize)');
    sizes = Array.from({ length: Math.max(1, Math.ceil(len / size)) }, (_, i) => Math.min(size, len - i * size));
  } else if (opts.npartitions !== undefined) {
    const n = checkNpartitions(opts.npartitions, 'fromSequence');
    // As in Dask, never more partitions than elements (but at least one).
    sizes = evenSizes(len, Math.max(1, Math.min(n, len)));
  } else {
    const size = Math.max(1, Math.ceil(len / 100));
    sizes = Array.from({ length: Math.max(1, Math.ceil(len / size)) }, (_, i) => Math.min(size, len - i * size));
  }
  // Numbers travel to worker threads as Float64Arrays (one memcpy instead of cloning element by
  // element) and become arrays again inside the task.
  const chunks = packNumbers(items as unknown[], sizes);
  const name = `from-sequence-${tokenize(dataToken(items as unknown[], chunks), sizes)}`;
  if (!chunks) {
    const parts: T[][] = [];
    let at = 0;
    for (const s of sizes) {
      parts.push(items.slice(at, at + s));
      at += s;
    }
    return Bag.fromPartitions<T>(name, parts, 'from-sequence');
  }
  const layer = new BagLayer(name, 'from-sequence', function* () {
    for (let i = 0; i < chunks.length; i++) yield bagOps.unpackNumbers.task(partitionKey(name, i), lit(chunks[i]));
  });
  // Element-wise operations and reductions that follow read the packed numbers directly.
  const source = sourcePipe({ kind: 'items', arg: (i) => lit(chunks[i]), parents: [] });
  return new Bag<T>(name, chunks.length, layerNode(layer), source);
}

export interface RangeOptions {
  npartitions: number;
}

const RANGE_OPTIONS: OptionSchema<RangeOptions> = { npartitions: 'number' };

/** The integers 0 … n-1, generated inside the tasks (nothing is shipped). */
export function range(n: number, opts: RangeOptions): Bag<number> {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`range: n must be a non-negative integer, got ${String(n)}`);
  const np = checkNpartitions(checkOptions('range', opts, RANGE_OPTIONS).npartitions, 'range');
  const sizes = evenSizes(n, np);
  const starts = [0];
  for (const s of sizes) starts.push(starts[starts.length - 1] + s);
  const name = `range-${n}-npartitions-${np}`;
  const layer = new BagLayer(name, 'range', function* () {
    for (let i = 0; i < np; i++) yield bagOps.rangePartition.task(partitionKey(name, i), lit(starts[i]), lit(starts[i + 1]));
  });
  return new Bag<number>(name, np, layerNode(layer));
}

/** One partition per lazy value (each computing to an array or other iterable). */
export function fromDelayed<T>(values: Iterable<unknown> | object): Bag<T> {
  const list: unknown[] = isCollection(values) ? [values] : Array.isArray(values) ? values : [...(values as Iterable<unknown>)];
  if (list.length === 0) throw new RangeError('fromDelayed: expected at least one lazy value');
  const parents: LayerNode[] = [];
  const specs = list.map((v, i) => {
    if (!isCollection(v)) throw new TypeError(`fromDelayed: value ${i} is ${describe(v)}, not a Delayed (or other lazy value)`);
    return toArgSpec(v, parents);
  });
  const name = opName('from-delayed', specs);
  const layer = new BagLayer(name, 'from-delayed', function* () {
    for (let i = 0; i < specs.length; i++) yield bagOps.toPartition.task(partitionKey(name, i), lit(i), specs[i]);
  });
  return new Bag<T>(name, specs.length, layerNode(layer, parents));
}

function checkBags(bags: readonly unknown[], fn: string): Bag<unknown>[] {
  if (bags.length === 0) throw new RangeError(`${fn}: expected at least one bag`);
  bags.forEach((b, i) => {
    if (!isBag(b)) throw new TypeError(`${fn}: argument ${i} is ${describe(b)}, not a Bag`);
  });
  return bags as Bag<unknown>[];
}

/** The partitions of several bags, one after the other. */
export function concat<T>(bags: readonly Bag<T>[]): Bag<T> {
  const bs = checkBags(bags, 'concat');
  const where: [Bag<unknown>, number][] = bs.flatMap((b) => Array.from({ length: b.npartitions }, (_, i) => [b, i] as [Bag<unknown>, number]));
  return partitionwise<T>(bs, {
    kind: 'concat',
    token: [],
    npartitions: where.length,
    task: (key, k) => bagOps.alias.task(key, ref(where[k][0].key(where[k][1]))),
  });
}

type Unbag<B> = { [K in keyof B]: B[K] extends Bag<infer E> ? E : never };

/** Element-wise tuples of identically partitioned bags. */
export function zip<B extends Bag<unknown>[]>(...bags: B): Bag<Unbag<B>> {
  const bs = checkBags(bags, 'zip');
  const n = bs[0].npartitions;
  for (const b of bs) {
    if (b.npartitions !== n) throw new Error(`zip: the bags have ${n} and ${b.npartitions} partitions; they must be partitioned identically`);
  }
  return partitionwise<Unbag<B>>(bs, {
    kind: 'zip',
    token: [],
    npartitions: n,
    task: (key, i) => bagOps.zipPartitions.task(key, lit(i), arr(bs.map((b) => ref(b.key(i))))),
  });
}
