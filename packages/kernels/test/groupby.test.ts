import { beforeAll, describe, expect, it } from 'vitest';
import { finalizeGroupBy, loadKernels, type GroupAgg, type GroupByPartial, type Kernels } from '../src/index.js';
import { dec, expectClose, loadFixture, raw, type Encoded } from './helpers.js';

interface Case {
  name: string;
  keys: string;
  values: string;
  groups: number[];
  size: number[];
  [agg: string]: Encoded[] | string | number[];
}

const fixture = loadFixture<Case>('groupby.json');
const AGGS: GroupAgg[] = ['sum', 'count', 'mean', 'min', 'max', 'var', 'std', 'first', 'last'];
let k: Kernels;

beforeAll(async () => {
  k = await loadKernels();
});

function checkAgainstPandas(c: Case, p: GroupByPartial, label: string): void {
  expect(Array.from(p.keys), `${label} keys`).toEqual(c.groups);
  expect(Array.from(p.size), `${label} size`).toEqual(c.size);
  for (const agg of AGGS) {
    const got = finalizeGroupBy(p, agg);
    const want = (c[agg] as Encoded[]).map(dec);
    const rtol = c.name === 'large offset' && (agg === 'var' || agg === 'std') ? 1e-8 : 1e-12;
    for (let i = 0; i < want.length; i++) expectClose(got[i], want[i], rtol, `${label} ${agg}[${c.groups[i]}]`);
  }
  const var0 = finalizeGroupBy(p, 'var', { ddof: 0 });
  (c.var0 as Encoded[]).forEach((v, i) => expectClose(var0[i], dec(v), c.name === 'large offset' ? 1e-8 : 1e-12, `${label} var0`));
}

describe('group-by against pandas', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const keys = raw(Int32Array, c.keys);
      const values = raw(Float64Array, c.values);
      checkAgainstPandas(c, k.groupby(keys, values, AGGS), 'JS-heap input');
      // Same data living in kernel memory (read in place).
      const kk = k.copyIn(keys);
      const kv = k.copyIn(values);
      checkAgainstPandas(c, k.groupby(kk, kv, AGGS), 'kernel-memory input');
      kk.free();
      kv.free();
    });
  }

  it('groupbyAgg returns one aggregation, also for float32 and int32 values', () => {
    const keys = new Int32Array([1, 0, 1, 1]);
    expect(k.groupbyAgg(keys, new Float64Array([1, 2, 3, 4]), 'mean')).toEqual({ keys: new Int32Array([0, 1]), values: new Float64Array([2, 8 / 3]) });
    expect(k.groupbyAgg(keys, new Float32Array([1.5, 2, 3, 4]), 'sum').values).toEqual(new Float64Array([2, 8.5]));
    expect(k.groupbyAgg(keys, new Int32Array([2 ** 31 - 1, 2, 2 ** 31 - 1, 1]), 'sum').values).toEqual(new Float64Array([2, 2 ** 32 - 1]));
    expect(k.groupbyAgg(keys, new Int32Array([5, 2, -7, 1]), 'min').values).toEqual(new Float64Array([2, -7]));
  });

  it('empty input gives no groups', () => {
    const p = k.groupby(new Int32Array(0), new Float64Array(0), ['mean', 'var']);
    expect(p.keys.length).toBe(0);
    expect(finalizeGroupBy(p, 'var').length).toBe(0);
  });

  it('with sort: false, hashed keys keep first-appearance order', () => {
    const keys = new Int32Array([2 ** 30, -(2 ** 30), 7, 2 ** 30]);
    const p = k.groupby(keys, new Float64Array([1, 2, 3, 4]), ['sum'], { sort: false });
    expect(Array.from(p.keys)).toEqual([2 ** 30, -(2 ** 30), 7]);
    expect(Array.from(finalizeGroupBy(p, 'sum'))).toEqual([5, 2, 3]);
  });

  it('rejects keys and values of different lengths', () => {
    expect(() => k.groupby(new Int32Array(3), new Float64Array(2))).toThrow(RangeError);
  });
});

describe('merging group-by partials', () => {
  // Splitting at many points and merging must reproduce the whole-array partial.
  for (const c of fixture.cases.filter((c) => c.name.startsWith('random') || c.name === 'with NaN values' || c.name === 'sparse 32-bit keys')) {
    it(`${c.name}: merge of partitions equals the whole`, () => {
      const keys = raw(Int32Array, c.keys);
      const values = raw(Float64Array, c.values);
      const whole = k.groupby(keys, values, AGGS);
      const n = keys.length;
      const cuts = [0, Math.floor(n / 3), Math.floor(n / 3) + 1, Math.floor((2 * n) / 3), n];
      let acc: GroupByPartial | undefined;
      for (let i = 0; i + 1 < cuts.length; i++) {
        const part = k.groupby(keys.subarray(cuts[i], cuts[i + 1]), values.subarray(cuts[i], cuts[i + 1]), AGGS);
        acc = acc ? k.mergeGroupBy(acc, part) : part;
      }
      expect(Array.from(acc!.keys)).toEqual(Array.from(whole.keys));
      for (const agg of AGGS) {
        const a = finalizeGroupBy(acc!, agg);
        const w = finalizeGroupBy(whole, agg);
        for (let i = 0; i < w.length; i++) expectClose(a[i], w[i], 1e-10, `${agg}[${whole.keys[i]}]`);
      }
      expect(Array.from(acc!.size)).toEqual(Array.from(whole.size));
    });
  }

  it('first/last follow partition order, and a missing statistic is an error', () => {
    const a = k.groupby(new Int32Array([1, 2]), new Float64Array([NaN, 5]), ['first', 'last']);
    const b = k.groupby(new Int32Array([1, 2]), new Float64Array([3, 6]), ['first', 'last']);
    const m = k.mergeGroupBy(a, b);
    expect(Array.from(finalizeGroupBy(m, 'first'))).toEqual([3, 5]);
    expect(Array.from(finalizeGroupBy(m, 'last'))).toEqual([3, 6]);
    const c = k.groupby(new Int32Array([1]), new Float64Array([1]), ['mean']);
    expect(() => k.mergeGroupBy(a, c)).toThrow(/only one partial/);
    expect(() => finalizeGroupBy(c, 'var')).toThrow(/without m2/);
  });
});

describe('high cardinality and large inputs', () => {
  it('1,000,000 rows over 200,000 dense keys: means from first principles', () => {
    const n = 1_000_000;
    const G = 200_000;
    const keys = new Int32Array(n);
    const values = new Float64Array(n);
    // Row i: key i mod G, value i. Group g holds g, g + G, ..., g + 4G: mean g + 2G.
    for (let i = 0; i < n; i++) {
      keys[i] = i % G;
      values[i] = i;
    }
    const r = k.groupbyAgg(keys, values, 'mean');
    expect(r.keys.length).toBe(G);
    for (let g = 0; g < G; g += 997) expect(r.values[g]).toBe(g + 2 * G);
  });

  it('hashed keys (sparse 32-bit) over 300,000 rows: sums from first principles', () => {
    const n = 300_000;
    const keys = new Int32Array(n);
    const values = new Float64Array(n).fill(1);
    // 60,000 distinct keys spread over the whole int32 range, each appearing 5 times.
    for (let i = 0; i < n; i++) keys[i] = Math.imul((i % 60_000) + 1, 0x9e3779b1);
    const r = k.groupbyAgg(keys, values, 'sum');
    expect(r.keys.length).toBe(60_000);
    for (let i = 1; i < r.keys.length; i++) expect(r.keys[i - 1] < r.keys[i]).toBe(true);
    expect(r.values.every((v) => v === 5)).toBe(true);
  });
});
