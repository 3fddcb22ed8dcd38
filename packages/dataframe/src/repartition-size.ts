/**
 * `repartition({ partitionSize })` (Dask's repartition_size): each partition's memory is measured
 * (a computation, as in Dask), partitions of `size` bytes or more are split into
 * `1 + floor(bytes / size)` even row ranges (their bytes shared evenly), and neighbours are then
 * concatenated while their total stays within `size`. Divisions stay known when nothing was split.
 */
import { arr, layerNode, lit, parseBytes, ref, type ComputeOptions, type OptionSchema, type TaskNode } from '@pdask/core';
import { FrameLayer, opName, partitionKey } from './graph';
import { remake, type Lazy } from './index-ops/common';
import { dataframeOps } from './ops/index';
import { checkWithCompute, refusing } from './options';
import { Scalar } from './scalar';

export interface PartitionSizeOptions extends ComputeOptions {
  /** The largest memory a partition should take: bytes, or text as Dask's parse_bytes reads it ('100MB', '1 GiB'). */
  partitionSize: number | string;
}

const ONE_OF = 'give exactly one of divisions, npartitions and partitionSize';
const OPTIONS: OptionSchema<Omit<PartitionSizeOptions, keyof ComputeOptions>> = refusing<Omit<PartitionSizeOptions, keyof ComputeOptions>>(
  { partitionSize: { anyOf: ['number', 'string'] } },
  { divisions: ONE_OF, npartitions: ONE_OF, force: 'force applies to divisions only' },
);

/** Partitions of at most `size` bytes each, as Dask: every partition's memory listed, split or merged by it. */
export function chunkPlan(bytes: readonly number[], size: number): { splits: number[]; groups: number[] } {
  const splits = bytes.map((b) => 1 + Math.floor(b / size));
  const pieces = bytes.flatMap((b, i) => new Array<number>(splits[i]).fill(b / splits[i]));
  // Dask's iter_chunks: consecutive pieces while their sum stays within size.
  const groups: number[] = [];
  let sum = 0;
  let count = 0;
  for (const p of pieces) {
    if (count > 0 && sum + p > size) {
      groups.push(count);
      [sum, count] = [0, 0];
    }
    sum += p;
    count++;
  }
  if (count > 0) groups.push(count);
  return { splits, groups };
}

export async function repartitionBySize<C extends Lazy>(c: C, options: PartitionSizeOptions, method: string): Promise<C> {
  const { own, compute } = checkWithCompute<PartitionSizeOptions>(method, options, OPTIONS);
  if (own.partitionSize === undefined) throw new TypeError(`${method}: ${ONE_OF}`);
  const size = parseBytes(own.partitionSize, `${method}: partitionSize`);
  if (size < 1) throw new RangeError(`${method}: partitionSize must be at least 1 byte, got ${String(own.partitionSize)}`);
  const bytes = await measure(c, compute);
  const { splits, groups } = chunkPlan(bytes, size);
  const split = splits.some((k) => k > 1);
  if (!split && groups.length === c.npartitions) return c;
  const name = opName('repartition-size', c.name, size, bytes);
  const layer = new FrameLayer(name, 'repartition', () => {
    const tasks: TaskNode[] = [];
    const pieces: string[] = [];
    splits.forEach((k, i) => {
      if (k === 1) return void pieces.push(partitionKey(c.name, i));
      const s = `${name}-split-${i}`;
      tasks.push(dataframeOps.splitEvenly.task(s, ref(partitionKey(c.name, i)), lit(k)));
      for (let b = 0; b < k; b++) {
        tasks.push(dataframeOps.pickPiece.task(`${s}-${b}`, ref(s), lit(b)));
        pieces.push(`${s}-${b}`);
      }
    });
    let at = 0;
    groups.forEach((g, j) => {
      tasks.push(dataframeOps.concatParts.task(partitionKey(name, j), arr(pieces.slice(at, at + g).map((k) => ref(k)))));
      at += g;
    });
    return tasks;
  });
  let divisions = null;
  if (!split && c.divisions !== null) {
    const bounds = [0];
    for (const g of groups) bounds.push(bounds[bounds.length - 1] + g);
    divisions = bounds.map((b) => c.divisions![b]);
  }
  return remake(c, name, layerNode(layer, [c.layer]), groups.length, divisions);
}

/** Each partition's memory in bytes, computed now. */
function measure(c: Lazy, compute: ComputeOptions): Promise<readonly number[]> {
  const name = opName('partition-bytes', c.name);
  const layer = new FrameLayer(name, 'partition-bytes', () => {
    const tasks = Array.from({ length: c.npartitions }, (_, i) => dataframeOps.partBytes.task(`${name}-${i}`, ref(partitionKey(c.name, i))));
    tasks.push(dataframeOps.listOf.task(name, arr(tasks.map((_, i) => ref(`${name}-${i}`)))));
    return tasks;
  });
  return new Scalar<readonly number[]>(name, layerNode(layer, [c.layer])).compute(compute);
}
