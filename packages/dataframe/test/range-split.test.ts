/**
 * The range split of a partition by a numeric column (ops/range-split.ts, through rangeSplit),
 * and what the sort's tasks read: a float64 key column without nulls, and number columns without
 * nulls, are read where they lie, never copied whole into a new array (toFloat64) nor through the
 * generic take (takeRows). Expected pieces are computed here from first principles: a row goes
 * to the range counting the boundaries at or below its key (missing keys first or last), rows
 * in input order within a piece.
 */
import { Float64, Int32, makeData, makeVector, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { batchOf, decodePart, encodeBatch, type Part } from '../src/ops/part';
import { rangeSplit, sampleSortKeys, sortPieces } from '../src/ops/sort';
import * as values from '../src/ops/values';
import { stableOrder, stream } from './stable-order';

vi.mock('../src/ops/values', async (importOriginal) => {
  const m = await importOriginal<typeof import('../src/ops/values')>();
  return { ...m, toFloat64: vi.fn(m.toFloat64), takeRows: vi.fn(m.takeRows) };
});

const u = stream(31337);
const N = 12_000;
const keys = Float64Array.from({ length: N }, (_, i) => (i % 41 === 0 ? NaN : i % 53 === 0 ? -0 : Math.floor(u() * 400) / 4 - 50));
const id = Int32Array.from({ length: N }, (_, i) => i);
const x = Float64Array.from({ length: N }, () => u());
const label = Array.from({ length: N }, (_, i) => (i % 9 === 0 ? null : `s${i}`));
const BOUNDS = [-30, -0.25, 0, 12.5, 12.75, 40];

function chunked(vals: Float64Array, pieces: number): Vector {
  const per = Math.ceil(vals.length / pieces);
  return makeVector(Array.from({ length: pieces }, (_, p) => {
    const part = vals.slice(p * per, Math.min(vals.length, (p + 1) * per));
    return makeData({ type: new Float64(), length: part.length, nullCount: 0, data: part });
  }));
}

function part(keyChunks: number): Part {
  return encodeBatch(batchOf(['k', 'id', 'x', 'label'], [chunked(keys, keyChunks), makeVector(id), chunked(x, 2), vectorFromArray(label, new Utf8())]));
}

/** The range of each row by counting boundaries, as Dask's divisions cut (equal keys share a range). */
function wantRange(k: number, ascending: boolean, naFirst: boolean): number {
  const n = BOUNDS.length + 1;
  if (k !== k) return naFirst ? 0 : n - 1;
  const r = BOUNDS.filter((b) => b <= k).length;
  return ascending ? r : n - 1 - r;
}

describe('rangeSplit on a numeric key', () => {
  it.each([
    [true, false, 1],
    [true, true, 3],
    [false, false, 5],
    [false, true, 1],
  ])('ascending %s, missing first %s, key in %i chunk(s): each piece holds its range, rows in input order', (ascending, naFirst, chunks) => {
    const n = BOUNDS.length + 1;
    const pieces = rangeSplit(part(chunks), 'k', BOUNDS, ascending, n, naFirst).map(decodePart);
    expect(pieces).toHaveLength(n);
    for (let r = 0; r < n; r++) {
      const rows = Array.from({ length: N }, (_, i) => i).filter((i) => wantRange(keys[i], ascending, naFirst) === r);
      const p = pieces[r];
      expect(Array.from(p.vectors[1].toArray() as Int32Array)).toEqual(rows);
      const kk = p.vectors[0].toArray() as Float64Array;
      rows.forEach((row, j) => {
        if (!Object.is(kk[j], keys[row])) expect([row, kk[j]]).toEqual([row, keys[row]]);
      });
      expect(Array.from(p.vectors[2].toArray() as Float64Array)).toEqual(rows.map((row) => x[row]));
      expect(Array.from({ length: rows.length }, (_, j) => p.vectors[3].get(j))).toEqual(rows.map((row) => label[row]));
      expect(p.vectors[1].type).toBeInstanceOf(Int32);
    }
  });
});

describe('what the sort tasks copy', () => {
  const plain = (): Part => encodeBatch(batchOf(['k', 'v', 'i'], [makeVector(Float64Array.from({ length: 9_000 }, () => u())), chunked(Float64Array.from({ length: 9_000 }, () => u()), 3), makeVector(Int32Array.from({ length: 9_000 }, (_, i) => i))]));
  beforeEach(() => {
    vi.mocked(values.toFloat64).mockClear();
    vi.mocked(values.takeRows).mockClear();
  });

  it('the sample reads a float64 key without missing values where it lies', () => {
    const s = sampleSortKeys(plain(), 'k', 64);
    expect(s.count).toBe(9_000);
    expect(values.toFloat64).not.toHaveBeenCalled();
  });

  it('the split reads the key and gathers number columns without the generic take', () => {
    const pieces = rangeSplit(plain(), 'k', [0.25, 0.5, 0.75], true, 4);
    expect(pieces.reduce((a, p) => a + p.numRows, 0)).toBe(9_000);
    expect(values.toFloat64).not.toHaveBeenCalled();
    expect(values.takeRows).not.toHaveBeenCalled();
  });

  it('the sort of the pieces reads the key and gathers number columns without the generic take', () => {
    const pieces = rangeSplit(plain(), 'k', [0.5], true, 2);
    const out = decodePart(sortPieces([pieces[1], pieces[0]], 'k', true));
    const k = out.vectors[0].toArray() as Float64Array;
    for (let i = 1; i < k.length; i++) expect(k[i] >= k[i - 1]).toBe(true);
    expect(values.toFloat64).not.toHaveBeenCalled();
    expect(values.takeRows).not.toHaveBeenCalled();
  });

  it('a key with nulls still goes through the copy that turns them into NaN', () => {
    const k = vectorFromArray(Array.from({ length: 5_000 }, (_, i) => (i % 7 === 0 ? null : i % 100)), new Float64());
    const pieces = rangeSplit(encodeBatch(batchOf(['k'], [k])), 'k', [50], true, 2);
    expect(values.toFloat64).toHaveBeenCalled();
    const last = decodePart(pieces[1]).vectors[0];
    expect(last.nullCount).toBe(Math.ceil(5_000 / 7));
  });
});

describe('split and sort of edge partitions (session 14 review)', () => {
  const plainPart = (k: Float64Array, id: Int32Array): Part => encodeBatch(batchOf(['k', 'id'], [makeVector(k), makeVector(id)]));

  it('an empty partition splits into empty pieces with its columns, and empty pieces sort to nothing', () => {
    const pieces = rangeSplit(plainPart(new Float64Array(0), new Int32Array(0)), 'k', [0.5], true, 2);
    expect(pieces.map((p) => [p.numRows, [...p.names]])).toEqual([
      [0, ['k', 'id']],
      [0, ['k', 'id']],
    ]);
    const out = decodePart(sortPieces(pieces, 'k', true));
    expect(out.numRows).toBe(0);
    expect(out.names).toEqual(['k', 'id']);
  });

  it('keys equal to a boundary, -0 and NaN across two inputs (one empty in a range): radix-size sort, stable, NaN last', () => {
    const n = 6_000;
    const keys = Float64Array.from({ length: n }, (_, i) => (i % 97 === 0 ? NaN : i % 5 === 0 ? 0.5 : i % 11 === 0 ? -0 : i % 13 === 0 ? 0 : Math.floor(u() * 64) / 64));
    const a = plainPart(keys.slice(0, n / 2), Int32Array.from({ length: n / 2 }, (_, i) => i));
    // The second input has only keys below 0.5: its piece of the upper range is empty.
    const low = keys.slice(n / 2).map((k) => (k >= 0.5 ? 0.25 : k));
    const b = plainPart(low, Int32Array.from({ length: n / 2 }, (_, i) => n / 2 + i));
    const all = Float64Array.from([...keys.slice(0, n / 2), ...low]);
    const [pa, pb] = [a, b].map((p) => rangeSplit(p, 'k', [0.5], true, 2));
    expect(pb[1].numRows).toBe(Array.from(low).filter((k) => k !== k).length);
    for (let r = 0; r < 2; r++) {
      const out = decodePart(sortPieces([pa[r], pb[r]], 'k', true));
      // Range 0: keys below 0.5; range 1: 0.5 and above, then the missing keys (the last range).
      const rows = Array.from({ length: n }, (_, i) => i).filter((i) => (r === 0 ? all[i] < 0.5 : !(all[i] < 0.5)));
      const want = stableOrder(rows.map((i) => all[i]), true).map((j) => rows[j]);
      expect(Array.from(out.vectors[1].toArray() as Int32Array)).toEqual(want);
      const k = out.vectors[0].toArray() as Float64Array;
      want.forEach((row, j) => {
        if (!Object.is(k[j], all[row])) expect([j, k[j]]).toEqual([j, all[row]]);
      });
    }
  });
});
