/**
 * Operations that change how elements are spread over partitions or combine bags: repartition,
 * accumulate (a chain through partitions), join, product, take.
 */
import { arr, checkOptions, COMPUTE_OPTION_NAMES, isCollection, layerNode, lit, ref, toArgSpec, type ArgSpec, type ComputeOptions, type LayerNode, type OptionSchema, type TaskNode } from '@pdask/core';
import { Bag, isBag } from './bag';
import { BagLayer, describe, keyArg, partitionKey, userFnArg, type KeySpec, type UserFunction } from './graph';
import { bagOps } from './ops';
import { ALWAYS_COMPUTES } from './options';
import { opName, partitionwise } from './partitionwise';
import { checkNpartitions } from './shuffle';

export function repartition<T>(bag: Bag<T>, npartitions: number): Bag<T> {
  const m = checkNpartitions(npartitions, 'Bag.repartition');
  const n = bag.npartitions;
  if (m === n) return bag;
  if (m < n) {
    // Output j concatenates a run of neighbouring partitions: order is kept.
    const first = (j: number) => Math.floor((j * n) / m);
    return partitionwise<T>([bag], {
      kind: 'repartition',
      token: [m],
      npartitions: m,
        task: (key, j) => bagOps.concatPartitions.task(key, arr(Array.from({ length: first(j + 1) - first(j) }, (_, q) => ref(bag.key(first(j) + q))))),
    });
  }
  // Input i is cut into k_i near-equal pieces, the k_i adding up to m.
  const owner: [number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    const k = Math.floor(((i + 1) * m) / n) - Math.floor((i * m) / n);
    for (let q = 0; q < k; q++) owner.push([i, q, k]);
  }
  return partitionwise<T>([bag], {
    kind: 'repartition',
    token: [m],
    npartitions: m,
    task: (key, j) => bagOps.slicePiece.task(key, ref(bag.key(owner[j][0])), lit(owner[j][1]), lit(owner[j][2])),
  });
}

/**
 * A chain through the partitions: partition i's running value starts from partition i-1's last
 * one. Each step yields [elements, carry]; the carry is picked next to it so that only the carry,
 * not the elements, travels to the next step.
 */
export function accumulate<T, A>(bag: Bag<T>, binop: UserFunction<(acc: A, x: T) => A>, initial: A | undefined): Bag<A> {
  const f = userFnArg(binop, 'accumulate', 'binop');
  const parents: LayerNode[] = [bag.layer];
  const start: ArgSpec = { t: 'arr', items: [lit(initial !== undefined), toArgSpec(initial, parents)] };
  const name = opName('accumulate', bag.name, f, start);
  const n = bag.npartitions;
  const layer = new BagLayer(name, 'accumulate', function* (): Generator<TaskNode> {
    for (let i = 0; i < n; i++) {
      const carry = i === 0 ? start : ref(`${name}-carry-${i - 1}`);
      yield bagOps.accumulatePartition.task(`${name}-step-${i}`, lit(i), f, ref(bag.key(i)), carry, lit(i === 0));
      yield bagOps.pick.task(`${name}-carry-${i}`, ref(`${name}-step-${i}`), lit(1));
      yield bagOps.pick.task(partitionKey(name, i), ref(`${name}-step-${i}`), lit(0));
    }
  });
  return new Bag<A>(name, n, layerNode(layer, parents));
}

export function join<T, U>(bag: Bag<T>, other: unknown, onSelf: KeySpec<T>, onOther?: KeySpec<U>): Bag<[U, T]> {
  const s = keyArg(onSelf, 'join');
  const o = onOther === undefined ? s : keyArg(onOther, 'join');
  const parents: LayerNode[] = [];
  let otherArg: ArgSpec;
  if (isBag(other)) {
    if (other.npartitions !== 1) {
      throw new Error(`Bag.join: the other bag has ${other.npartitions} partitions; join takes an array, a lazy value or a bag of one partition (use other.repartition(1))`);
    }
    parents.push(other.layer);
    otherArg = ref(other.key(0));
  } else if (isCollection(other)) {
    otherArg = toArgSpec(other, parents);
  } else if (other !== null && typeof other === 'object' && Symbol.iterator in other) {
    otherArg = lit(Array.isArray(other) ? other : [...(other as Iterable<unknown>)]);
  } else {
    throw new TypeError(`Bag.join: other must be an array (or iterable), a one-partition bag or a lazy value, got ${describe(other)}`);
  }
  return partitionwise<[U, T]>([bag], {
    kind: 'join',
    token: [otherArg, s, o],
    parents,
    npartitions: bag.npartitions,
    task: (key, i) => bagOps.joinPartition.task(key, lit(i), ref(bag.key(i)), otherArg, s, o),
  });
}

export function product<T, U>(bag: Bag<T>, other: Bag<U>): Bag<[T, U]> {
  if (!isBag(other)) throw new TypeError(`Bag.product: expected a bag, got ${describe(other)}`);
  const m = other.npartitions;
  return partitionwise<[T, U]>([bag, other as Bag<unknown>], {
    kind: 'product',
    token: [],
    npartitions: bag.npartitions * m,
    task: (key, k) => bagOps.productPartition.task(key, ref(bag.key(Math.floor(k / m))), ref(other.key(k % m))),
  });
}

export interface TakeOptions extends ComputeOptions {
  /** How many leading partitions to look in (default 1; -1: all). */
  npartitions?: number;
  /** Warn when those partitions hold fewer than n elements (default true). */
  warn?: boolean;
  /** Not supported: take always computes (Dask's `compute=False`). */
  compute?: never;
}

const TAKE_OPTIONS: OptionSchema<TakeOptions> = { ...COMPUTE_OPTION_NAMES, npartitions: 'number', warn: 'boolean', compute: ALWAYS_COMPUTES };

/** The first n elements. Only the first partitions (and what they depend on) are computed. */
export async function take<T>(bag: Bag<T>, n: number, opts: TakeOptions | undefined): Promise<T[]> {
  const { npartitions = 1, warn = true, compute: _, ...computeOpts } = checkOptions('Bag.take', opts, TAKE_OPTIONS);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`Bag.take: n must be a non-negative integer, got ${String(n)}`);
  const np = npartitions === -1 ? bag.npartitions : npartitions;
  if (!Number.isInteger(np) || np < 1) throw new RangeError(`Bag.take: npartitions must be a positive integer or -1, got ${String(npartitions)}`);
  if (np > bag.npartitions) throw new RangeError(`Bag.take: the bag has only ${bag.npartitions} partitions, take was asked to look in ${np}`);
  const head = partitionwise<T>([bag], {
    kind: 'take',
    token: [n],
    npartitions: np,
    task: (key, i) => bagOps.slicePartition.task(key, ref(bag.key(i)), lit(0), lit(n)),
  });
  const out = (await head.compute(computeOpts)).slice(0, n);
  if (warn && out.length < n) {
    // Node's process warning; a page has no process, so the console carries it there.
    const warnWith = (globalThis as { process?: { emitWarning?: (msg: string, type: string) => void } }).process?.emitWarning ?? ((msg: string, type: string) => console.warn(`${type}: ${msg}`));
    warnWith(
      `Insufficient elements for take: ${n} requested, only ${out.length} in the first ${np} partition${np > 1 ? 's' : ''}. Pass a larger npartitions (or -1 for all) to take.`,
      'PdaskBagWarning',
    );
  }
  return out;
}
