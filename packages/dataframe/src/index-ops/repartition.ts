/**
 * repartition (Dask's repartition): to new divisions (each new partition gathers the label range it
 * covers from the old partitions that overlap it), or to a number of partitions (adjacent
 * partitions concatenated, or split: by interpolated divisions when they are known numbers, as Dask
 * does, else by rows).
 */
import { arr, checkOptions, intAtLeast, layerNode, lit, ref, type OptionSchema, type TaskNode } from '@pdask/core';
import type { DivisionValue } from '../base';
import { FrameLayer, opName, partitionKey } from '../graph';
import { dataframeOps } from '../ops/index';
import { NOT_YET, refusing } from '../options';
import { checkDivisions, compareLabels, partitionsOverlapping } from './divisions';
import { remake, withExplicitIndex, type Lazy } from './common';

export interface RepartitionOptions {
  /** New divisions (index values, npartitions + 1 of them). */
  divisions?: readonly DivisionValue[];
  /** A number of partitions. */
  npartitions?: number;
  /** Allow new divisions wider than the old first and last (Dask's force); without it they must be equal. */
  force?: boolean;
}

const REPARTITION_OPTIONS: OptionSchema<RepartitionOptions> = refusing<RepartitionOptions>(
  { divisions: (v) => (Array.isArray(v) ? undefined : 'an array of index values'), npartitions: intAtLeast(1), force: 'boolean' },
  { partitionSize: `${NOT_YET}: give npartitions or divisions`, freq: NOT_YET },
);

export function repartition<C extends Lazy>(c: C, options: RepartitionOptions, method: string): C {
  const opts = checkOptions(method, options, REPARTITION_OPTIONS);
  const given = [opts.divisions, opts.npartitions].filter((x) => x !== undefined).length;
  if (given !== 1) throw new TypeError(`${method}: give exactly one of divisions and npartitions`);
  if (opts.divisions !== undefined) return toDivisions(c, checkDivisions(opts.divisions, method), opts.force ?? false, method);
  if (opts.force !== undefined) throw new TypeError(`${method}: force applies to divisions only`);
  return toNpartitions(c, opts.npartitions!, method);
}

/** Partition j of the result: the labels in [d[j], d[j+1]) (closed for the last) of the old partitions that overlap. */
export function toDivisions<C extends Lazy>(c: C, divisions: readonly DivisionValue[], force: boolean, method: string): C {
  if (c.divisions === null) throw new Error(`${method}: the divisions are unknown, so the rows cannot be cut by index value; use setIndex(column) first, or repartition({ npartitions })`);
  const src = withExplicitIndex(c, method);
  const old = src.divisions!;
  const [a0, a1, b0, b1] = [old[0], old[old.length - 1], divisions[0], divisions[divisions.length - 1]];
  const show = JSON.stringify;
  if (force) {
    // As Dask: the new divisions may only widen the old ones.
    if (compareLabels(a0, b0) < 0) throw new RangeError(`${method}: the new first division ${show(b0)} must be equal to or below the old one ${show(a0)}`);
    if (compareLabels(a1, b1) > 0) throw new RangeError(`${method}: the new last division ${show(b1)} must be equal to or above the old one ${show(a1)}`);
  } else {
    if (compareLabels(a0, b0) !== 0) throw new RangeError(`${method}: the first division of old and new divisions differ (${show(a0)} and ${show(b0)}); give force: true to widen them`);
    if (compareLabels(a1, b1) !== 0) throw new RangeError(`${method}: the last division of old and new divisions differ (${show(a1)} and ${show(b1)}); give force: true to widen them`);
  }
  const n = divisions.length - 1;
  const name = opName('repartition-divisions', src.name, divisions);
  const layer = new FrameLayer(name, 'repartition', () => {
    const tasks: TaskNode[] = [];
    for (let j = 0; j < n; j++) {
      const last = j === n - 1;
      // Old partitions that can hold labels of [d[j], d[j+1]]; the task keeps exactly its range.
      let from = partitionsOverlapping(old, divisions[j], divisions[j + 1]);
      if (from.length === 0) from = [0];
      tasks.push(dataframeOps.sliceLabels.task(partitionKey(name, j), arr(from.map((i) => ref(partitionKey(src.name, i)))), lit({ lo: divisions[j], hi: divisions[j + 1], hiClosed: last })));
    }
    return tasks;
  });
  return remake(src, name, layerNode(layer, [src.layer]), n, [...divisions]);
}

/** As Dask's repartition(npartitions=…). */
export function toNpartitions<C extends Lazy>(c: C, n: number, method: string): C {
  const m = c.npartitions;
  if (n === m) return c;
  if (n < m) {
    // Adjacent partitions concatenated: new partition j is old [floor(j m / n), floor((j+1) m / n)).
    const bounds = Array.from({ length: n + 1 }, (_, j) => Math.floor((j * m) / n));
    const name = opName('repartition-npartitions', c.name, n);
    const layer = new FrameLayer(name, 'repartition', function* () {
      for (let j = 0; j < n; j++) {
        const from = Array.from({ length: bounds[j + 1] - bounds[j] }, (_, k) => ref(partitionKey(c.name, bounds[j] + k)));
        yield dataframeOps.concatParts.task(partitionKey(name, j), arr(from));
      }
    });
    const divisions = c.divisions === null ? null : bounds.map((b) => c.divisions![b]);
    return remake(c, name, layerNode(layer, [c.layer]), n, divisions);
  }
  const d = c.divisions;
  if (d !== null && typeof d[0] === 'number') {
    // Known numeric divisions: interpolated (Dask's np.interp over the unique divisions), integer
    // divisions truncated to integers, duplicates dropped.
    const uniq = (d as number[]).filter((x, i) => i === 0 || x !== d[i - 1]);
    const k = uniq.length - 1;
    const ints = uniq.every((x) => Number.isInteger(x));
    const out = Array.from({ length: n + 1 }, (_, j) => {
      const x = (j * k) / n;
      const lo = Math.min(Math.floor(x), k - 1);
      const v = k === 0 ? uniq[0] : uniq[lo] + (x - lo) * (uniq[lo + 1] - uniq[lo]);
      return ints ? Math.trunc(v) : v;
    });
    out[0] = d[0] as number;
    out[n] = d[d.length - 1] as number;
    const inner = out.slice(0, n).filter((x, i, a) => i === 0 || x !== a[i - 1]);
    return toDivisions(c, [...inner, out[n]], false, method);
  }
  // Unknown (or string) divisions: each partition split by rows, the last taking the remainder of
  // partitions, as Dask's _split_partitions; divisions become unknown.
  const per = Math.floor(n / m);
  const splits = Array.from({ length: m }, (_, i) => per + (i === m - 1 ? n % m : 0));
  const name = opName('repartition-split', c.name, n);
  const layer = new FrameLayer(name, 'repartition', () => {
    const tasks: TaskNode[] = [];
    let j = 0;
    for (let i = 0; i < m; i++) {
      const split = `${name}-split-${i}`;
      tasks.push(dataframeOps.splitRows.task(split, ref(partitionKey(c.name, i)), lit(splits[i])));
      for (let b = 0; b < splits[i]; b++) tasks.push(dataframeOps.pickPiece.task(partitionKey(name, j++), ref(split), lit(b)));
    }
    return tasks;
  });
  return remake(c, name, layerNode(layer, [c.layer]), n, null);
}
