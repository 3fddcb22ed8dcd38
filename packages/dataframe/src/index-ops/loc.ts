/**
 * loc (pandas' and Dask's label-based selection): by one label, by a slice of labels (both ends
 * included, as pandas), or by a boolean series aligned on the index. Known divisions select the
 * partitions that can hold the labels; unknown divisions search every partition, as Dask does.
 */
import { arr, checkOptions, layerNode, lit, ref, type OptionSchema } from '@pdask/core';
import { checkAligned, partitionwise, type DivisionValue } from '../base';
import { FrameLayer, opName, partitionKey } from '../graph';
import { dataframeOps } from '../ops/index';
import type { LabelRange } from '../ops/index-ops';
import { Series } from '../series';
import { alignOperands } from './align';
import { remake, withExplicitIndex, type Lazy } from './common';
import { compareLabels, partitionsOverlapping } from './divisions';

/** A slice of labels, pandas' `loc[start:stop]`: both ends included; an end left out is open. */
export interface LocSlice {
  start?: DivisionValue;
  stop?: DivisionValue;
}

const label = (v: unknown): string | undefined => ((typeof v === 'number' && v === v) || typeof v === 'string' ? undefined : 'an index value (a number or a string)');
const SLICE_OPTIONS: OptionSchema<LocSlice> = { start: label, stop: label };

export type LocKey = DivisionValue | Series | LocSlice;

export function loc<C extends Lazy>(c: C, key: LocKey, method: string): C {
  if (key instanceof Series) return locMask(c, key, method);
  if (typeof key === 'number' || typeof key === 'string') {
    if (key !== key) throw new TypeError(`${method}: NaN is not a label pdask can look up`);
    return locRange(c, { lo: key, hi: key, hiClosed: true }, method, true);
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) {
    throw new TypeError(`${method}: expected a label (number or string), a slice { start, stop } or a boolean Series, got ${key === null ? 'null' : Array.isArray(key) ? 'an array' : typeof key}`);
  }
  const s = checkOptions(method, key, SLICE_OPTIONS);
  return locRange(c, { lo: s.start ?? null, hi: s.stop ?? null, hiClosed: true }, method, false);
}

function locRange<C extends Lazy>(c: C, range: LabelRange, method: string, single: boolean): C {
  const src = withExplicitIndex(c, method);
  const d = src.divisions;
  const token = [range.lo, range.hi];
  if (d === null) {
    // Every partition keeps its rows in the range (Dask's try_loc on each partition).
    const { name, layer } = partitionwise([src], { kind: 'loc', token, task: (key, i) => dataframeOps.sliceLabels.task(key, arr([ref(partitionKey(src.name, i))]), lit(range)) });
    return remake(src, name, layer, src.npartitions, null);
  }
  if (range.lo !== null) compareLabels(range.lo, d[0]);
  if (range.hi !== null) compareLabels(range.hi, d[0]);
  let from = partitionsOverlapping(d, range.lo as DivisionValue | null, range.hi as DivisionValue | null);
  const name = opName('loc', src.name, ...token);
  if (from.length === 0) from = [0];
  // One label: its rows gathered into one partition (equal labels may sit at a boundary).
  const groups = single ? [from] : from.map((i) => [i]);
  const layer = new FrameLayer(name, 'loc', function* () {
    for (let j = 0; j < groups.length; j++) {
      yield dataframeOps.sliceLabels.task(partitionKey(name, j), arr(groups[j].map((i) => ref(partitionKey(src.name, i)))), lit(range));
    }
  });
  const lo = range.lo === null || compareLabels(range.lo, d[from[0]]) < 0 ? d[from[0]] : (range.lo as DivisionValue);
  const last = from[from.length - 1] + 1;
  const hi = range.hi === null || compareLabels(range.hi, d[last]) > 0 ? d[last] : (range.hi as DivisionValue);
  const divisions = single ? [lo, hi] : [lo, ...from.slice(1).map((i) => d[i]), hi];
  const empty = compareLabels(lo, hi) > 0;
  return remake(src, name, layerNode(layer, [src.layer]), groups.length, empty ? null : divisions);
}

function locMask<C extends Lazy>(c: C, mask: Series, method: string): C {
  if (mask.typeDesc.id !== 'bool') throw new TypeError(`${method}: the mask '${mask.seriesName}' has dtype ${mask.dtype}, expected bool`);
  // Rows keep their labels: a frame without an index gets its row positions as one first (with
  // unknown divisions they are not known, and the rows are matched by position, as filter does).
  const src = c.meta.index || c.divisions === null ? c : withExplicitIndex(c, method);
  if (!src.meta.index) checkAligned(src, mask, method);
  const [x, m] = src.meta.index ? alignOperands(src, mask, method, 'left') : ([src, mask] as [C, Series]);
  const { name, layer } = partitionwise([x, m], {
    kind: 'loc-mask',
    token: [],
    task: (key, i) => dataframeOps.filterRows.task(key, ref(partitionKey(x.name, i)), ref(partitionKey(m.name, i)), lit(m.seriesName)),
  });
  // The labels are kept, so the divisions stay valid.
  return remake(x, name, layer, x.npartitions, x.divisions);
}
