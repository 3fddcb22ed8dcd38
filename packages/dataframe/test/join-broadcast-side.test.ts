/**
 * What a thread keeps of a broadcast join side (ops/broadcast-side.ts): one build side per
 * partition object and key columns, for numeric, text and multi-column keys alike, probed by any
 * number of other partitions. References from first principles: pairs by a nested loop over the
 * keys, rows of a merge listed by hand.
 */
import { closeThreadPools } from '@pdask/core';
import { tableFromArrays, vectorFromArray, Utf8 } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import * as dd from '../src/index';
import { broadcastBuild, broadcastColumn } from '../src/ops/broadcast-side';
import { numberedProbe, probeTable } from '../src/ops/join-table';
import { batchOf, encodeBatch } from '../src/ops/part';
import { SCHEDULERS } from './helpers';
import { nestedLoop } from './join-pairs';

afterAll(() => closeThreadPools());

const text = (xs: readonly (string | null)[]) => vectorFromArray(xs, new Utf8());

describe('broadcastBuild', () => {
  const names = ['c', 'a', 'b', 'a', null];
  const part = encodeBatch(batchOf(['name'], [text(names)]));

  it('builds a text key side once per partition object and key columns', () => {
    const first = broadcastBuild(part, ['name'], [text(names)], false);
    expect(broadcastBuild(part, ['name'], [text(names)], false)).toBe(first);
    expect(first.ids).toBeDefined();
    // Another partition object with equal contents is another side (identity, not contents, finds it).
    const other = encodeBatch(batchOf(['name'], [text(names)]));
    expect(broadcastBuild(other, ['name'], [text(names)], false)).not.toBe(first);
    // The same columns used as numbers (another merge's key types) are kept apart.
    expect(broadcastBuild(part, ['name'], [vectorFromArray([1, 2, 3, 4, 5])], true)).not.toBe(first);
  });

  it('probes of several partitions through the cached numbering meet the rows of equal text', () => {
    const side = broadcastBuild(part, ['name'], [text(names)], false);
    const code = (s: string | null) => (s === null ? -2 : s.charCodeAt(0));
    for (const probe of [['a', 'z', null, 'c'], ['b', 'b'], ['q']]) {
      const got = probeTable(side.table, numberedProbe([text(probe)], side.ids!), true, false);
      // Missing keys meet each other, as in pandas: the nested loop's NaN rule, with null as a code of its own.
      expect({ p: Array.from(got.p), b: Array.from(got.b) }).toEqual(nestedLoop(names.map(code), probe.map(code), true));
    }
  });

  it('keeps a broadcast column of several chunks in one chunk, once', () => {
    const chunked = tableFromArrays({ v: Float64Array.from([1, 2]) }).concat(tableFromArrays({ v: Float64Array.from([3]) })).getChild('v')!;
    expect(chunked.data.length).toBe(2);
    const one = broadcastColumn(part, 'v', chunked);
    expect(one.data.length).toBe(1);
    expect(Array.from(one.toArray() as Float64Array)).toEqual([1, 2, 3]);
    expect(broadcastColumn(part, 'v', chunked)).toBe(one);
  });
});

describe.each(SCHEDULERS)('a broadcast merge on two key columns (%s)', (_, opts) => {
  it('gives the rows of equal (int, text) pairs, each left partition probing the one right partition', async () => {
    const l = dd.fromColumns({ a: [1, 1, 2, 2, 3, 1], b: ['p', 'q', 'p', 'q', 'p', 'p'], v: [10, 20, 30, 40, 50, 60] }, { chunksize: 2 });
    const r = dd.fromColumns({ a: [1, 2, 2, 9], b: ['p', 'q', 'q', 'p'], w: [0.5, 1.5, 2.5, 3.5] }, { npartitions: 1 });
    for (const how of ['inner', 'left'] as const) {
      const m = dd.merge(l, r, { on: ['a', 'b'], how });
      expect(m.name.startsWith('merge-broadcast')).toBe(true);
      const got = await m.compute(opts);
      const rows = Array.from({ length: got.numRows }, (_, i) => got.columns.map((c) => got.col(c).at(i) as unknown)).map((row) => row.map((x) => (typeof x === 'number' && Number.isNaN(x) ? null : x)));
      rows.sort((x, y) => (x[2] as number) - (y[2] as number) || ((x[3] as number) ?? 0) - ((y[3] as number) ?? 0));
      const matched = [
        [1, 'p', 10, 0.5],
        [2, 'q', 40, 1.5],
        [2, 'q', 40, 2.5],
        [1, 'p', 60, 0.5],
      ];
      const unmatched = [
        [1, 'q', 20, null],
        [2, 'p', 30, null],
        [3, 'p', 50, null],
      ];
      const want = how === 'inner' ? matched : [...matched, ...unmatched];
      want.sort((x, y) => (x[2] as number) - (y[2] as number) || ((x[3] as number) ?? 0) - ((y[3] as number) ?? 0));
      expect(rows).toEqual(want);
    }
  });
});
