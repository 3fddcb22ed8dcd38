/**
 * Group-by scans and transforms of several columns at once (pandas' `df.groupby(k).cumsum()`,
 * `.shift(1)`, `.transform('mean')`): each column goes through the one-column step of
 * group-scan.ts / group-shuffle.ts, and the results become the columns of one partition, so the
 * whole frame takes one chain of carries (scans) or one shuffle (transforms).
 */
import type { OpFunction } from '@pdask/core';
import { findColumn } from './frame';
import { groupScanStep, type ScanSpec, type ScanState, type ScanStep } from './group-scan';
import { groupTransformPart, TAG_PART, TAG_ROW, type TransformSpec } from './group-shuffle';
import { batchOf, decodePart, encodeBatch, type Part } from './part';
import { indexColumnsOf } from './spec';

/** What the step of several scans carries: one state per column. */
export interface ScanManyStep {
  state: ScanState[];
  part: Part;
}

export const groupScanMany = (part: Part, prev: readonly ScanState[] | null, specs: readonly ScanSpec[]): ScanManyStep => {
  const steps: ScanStep[] = specs.map((s, j) => groupScanStep(part, prev ? prev[j] : null, s, null));
  const b = decodePart(part);
  const idx = indexColumnsOf(b.names);
  const cols = steps.map((s, j) => findColumn(decodePart(s.part), specs[j].out));
  return { state: steps.map((s) => s.state), part: encodeBatch(batchOf([...idx, ...specs.map((s) => s.out)], [...idx.map((n) => findColumn(b, n)), ...cols])) };
};

export const scanManyStateOf = (s: ScanManyStep): ScanState[] => s.state;
export const scanManyPartOf = (s: ScanManyStep): Part => s.part;

/** Each row's transform result for several columns of a shuffled partition (tags kept, as groupTransformPart). */
export const groupTransformMany = (part: Part, specs: readonly TransformSpec[], fn: OpFunction | null): Part => {
  const outs = specs.map((s) => decodePart(groupTransformPart(part, s, fn)));
  const first = outs[0];
  const keep = [...indexColumnsOf(first.names), TAG_PART, TAG_ROW];
  return encodeBatch(batchOf([...keep, ...specs.map((s) => s.out)], [...keep.map((n) => findColumn(first, n)), ...outs.map((o, j) => findColumn(o, specs[j].out))]));
};
