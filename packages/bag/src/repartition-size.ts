/**
 * repartition({ npartitions | partitionSize }). By size (Dask's `repartition(partition_size=)`):
 * the partitions' memory is measured first (a computation, as in Dask), then partitions larger
 * than the size are cut into near-equal pieces and neighbouring pieces are merged while their
 * total stays within the size. Element order is kept.
 */
import { arr, checkOptions, COMPUTE_OPTION_NAMES, layerNode, lit, parseBytes, ref, type ComputeOptions, type OptionSchema, type TaskNode } from '@pdask/core';
import { Bag } from './bag';
import { repartition } from './combine';
import { BagLayer, partitionKey } from './graph';
import { bagOps } from './ops';
import { opName, partitionwise } from './partitionwise';

export interface RepartitionOptions extends ComputeOptions {
  /** The number of partitions wanted. */
  npartitions?: number;
  /**
   * The memory each partition should hold at most (bytes, or text like '64MB'), as estimated by
   * core's sizeOf. Measuring it computes the bag, so `repartition` then returns a promise; the
   * other options are those of `compute` and apply to that measuring.
   */
  partitionSize?: number | string;
}

const REPARTITION_OPTIONS: OptionSchema<RepartitionOptions> = {
  ...COMPUTE_OPTION_NAMES,
  npartitions: 'number',
  partitionSize: (v) => (typeof v === 'number' || typeof v === 'string' ? undefined : "a number of bytes or a size like '64MB'"),
};

export function checkRepartition(arg: number | RepartitionOptions): { npartitions: number } | { partitionSize: number; computeOpts: ComputeOptions } {
  if (typeof arg === 'number') return { npartitions: arg };
  const { npartitions, partitionSize, ...computeOpts } = checkOptions('Bag.repartition', arg, REPARTITION_OPTIONS);
  if ((npartitions === undefined) === (partitionSize === undefined)) throw new TypeError('Bag.repartition: give npartitions or partitionSize (one of them)');
  if (npartitions !== undefined) {
    if (Object.keys(computeOpts).length > 0) throw new TypeError(`Bag.repartition: compute options (${Object.keys(computeOpts).join(', ')}) apply only with partitionSize, which computes`);
    return { npartitions };
  }
  const size = parseBytes(partitionSize!, 'Bag.repartition (partitionSize)');
  if (!(size >= 1)) throw new RangeError(`Bag.repartition (partitionSize): must be at least 1 byte, got ${String(partitionSize)}`);
  return { partitionSize: Math.floor(size), computeOpts };
}

/**
 * The partition plan for the measured sizes: how many pieces each input partition is cut into,
 * and the runs of consecutive pieces that form each output partition (Dask's nsplits and
 * iter_chunks).
 */
export function sizePlan(bytes: readonly number[], size: number): { nsplits: number[]; groups: number[] } {
  const nsplits = bytes.map((b) => 1 + Math.floor(b / size));
  const pieces = bytes.flatMap((b, i) => Array<number>(nsplits[i]).fill(b / nsplits[i]));
  const groups: number[] = [];
  let count = 0;
  let sum = 0;
  for (const p of pieces) {
    if (count > 0 && sum + p > size) {
      groups.push(count);
      count = 0;
      sum = 0;
    }
    count++;
    sum += p;
  }
  if (count > 0) groups.push(count);
  return { nsplits, groups };
}

export async function repartitionBySize<T>(bag: Bag<T>, size: number, computeOpts: ComputeOptions): Promise<Bag<T>> {
  const measured = partitionwise<number>([bag], {
    kind: 'partition-bytes',
    token: [],
    npartitions: bag.npartitions,
    task: (key, i) => bagOps.partitionBytes.task(key, ref(bag.key(i))),
  });
  const { nsplits, groups } = sizePlan(await measured.compute(computeOpts), size);
  // Piece j: [input partition, piece index, pieces of that partition].
  const pieces: [number, number, number][] = nsplits.flatMap((k, i) => Array.from({ length: k }, (_, q) => [i, q, k] as [number, number, number]));
  const name = opName('repartition-size', bag.name, size, nsplits, groups);
  const pieceKey = (j: number) => (pieces[j][2] === 1 ? bag.key(pieces[j][0]) : `${name}-piece-${j}`);
  const layer = new BagLayer(name, 'repartition', function* (): Generator<TaskNode> {
    for (let j = 0; j < pieces.length; j++) {
      const [i, q, k] = pieces[j];
      if (k > 1) yield bagOps.slicePiece.task(pieceKey(j), ref(bag.key(i)), lit(q), lit(k));
    }
    let at = 0;
    for (let g = 0; g < groups.length; g++) {
      yield bagOps.concatPartitions.task(partitionKey(name, g), arr<unknown[]>(Array.from({ length: groups[g] }, (_, m) => ref(pieceKey(at + m)))));
      at += groups[g];
    }
  });
  return new Bag<T>(name, groups.length, layerNode(layer, [bag.layer]));
}

export function repartitionTo<T>(bag: Bag<T>, arg: number | RepartitionOptions): Bag<T> | Promise<Bag<T>> {
  const r = checkRepartition(arg);
  if ('npartitions' in r) return repartition(bag, r.npartitions);
  return repartitionBySize(bag, r.partitionSize, r.computeOpts);
}
