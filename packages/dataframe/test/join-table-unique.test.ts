/**
 * probeTable on a direct table of unique keys (ops/join-table.ts: a dimension table keyed by
 * small integers, the broadcast side of a merge), against the pairs a nested loop over both key
 * lists gives: every probe row with each build row of an equal key (NaN meets NaN, as the join
 * matches missing keys), probe rows without one kept as -1 when asked.
 */
import { describe, expect, it } from 'vitest';
import { buildTable, probeTable } from '../src/ops/join-table';
import { nestedLoop } from './join-pairs';

describe('probeTable on unique direct keys', () => {
  // Keys 10..209 shuffled, one missing key, and a gap (150 absent).
  const build = Float64Array.from([...Array.from({ length: 200 }, (_, i) => ((i * 37) % 200) + 10).filter((k) => k !== 150), NaN]);
  const probe = Float64Array.from([10, 209, 150, 9, 210, 12.5, NaN, -0, 100, 100, 1e300, -Infinity, 55]);
  it('builds a direct table that knows its keys are unique', () => {
    const t = buildTable(build);
    expect(t.base).toBe(10);
    expect(t.unique).toBe(true);
    expect(buildTable(Float64Array.from([1, 2, 2])).unique).toBe(false);
  });
  it.each([true, false])('gives the nested loop pairs (keep probe rows without a match: %s)', (keepProbe) => {
    const got = probeTable(buildTable(build), probe, keepProbe, false);
    const want = nestedLoop(build, probe, keepProbe);
    expect({ p: Array.from(got.p), b: Array.from(got.b) }).toEqual(want);
    expect(got.identity).toBe(false);
  });
  it('reports identity when every probe row meets exactly one build row', () => {
    const probeAll = Float64Array.from([10, 11, 209, 11]);
    const got = probeTable(buildTable(build), probeAll, false, false);
    expect(Array.from(got.p)).toEqual([0, 1, 2, 3]);
    expect(Array.from(got.b)).toEqual(nestedLoop(build, probeAll, false).b);
    expect(got.identity).toBe(true);
  });
});
