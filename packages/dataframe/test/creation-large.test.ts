/**
 * Frames of many kernel scratch blocks (512 KiB) a partition, copied into shared memory and hashed
 * in the same pass (creation-buffers.ts): the partitions hold the caller's values (checked against
 * the arrays and a mean from the definition), whatever the caller does to its arrays afterwards,
 * and the name follows every byte.
 */
import { describe, expect, test } from 'vitest';
import * as dd from '../src/index';
import { SMALL_FRAME_BYTES } from '../src/creation-buffers';

const sync = { scheduler: 'sync' as const };
const N = 800_003; // 12 bytes a row: 9.6 MB; partitions of odd lengths

function columns(): { k: Int32Array; v: Float64Array } {
  const k = Int32Array.from({ length: N }, (_, i) => (i * 7) % 5);
  const v = Float64Array.from({ length: N }, (_, i) => (i % 13) - 4.5);
  return { k, v };
}

describe('large frames from columns', () => {
  test('the partitions are a copy of the arrays, unchanged by later writes to them', async () => {
    expect(N * 12).toBeGreaterThan(SMALL_FRAME_BYTES * 16);
    const { k, v } = columns();
    const [wantK, wantV] = [k.slice(), v.slice()];
    const df = dd.fromColumns({ k, v }, { npartitions: 3 });
    k.fill(-1);
    v.fill(99);
    const r = await df.compute(sync);
    const [gotK, gotV] = [r.col('k').toArray() as Int32Array, r.col('v').toArray() as Float64Array];
    expect(gotK.length).toBe(N);
    expect(gotK.every((x, i) => x === wantK[i])).toBe(true);
    expect(gotV.every((x, i) => x === wantV[i])).toBe(true);
    const sums = [0, 0, 0, 0, 0];
    const counts = [0, 0, 0, 0, 0];
    wantK.forEach((g, i) => ((sums[g] += wantV[i]), counts[g]++));
    const means = await df.groupby('k').col('v').mean().compute({ scheduler: 'threads' });
    Array.from(means.toArray() as Float64Array).forEach((m, g) => expect(m).toBeCloseTo(sums[g] / counts[g], 9));
  });

  test('equal data gives equal names; a change to any one value, or another cut, another name', () => {
    const { k, v } = columns();
    const name = (cols: { k: Int32Array; v: Float64Array }, parts = 3) => dd.fromColumns(cols, { npartitions: parts }).name;
    const base = name({ k, v });
    expect(name({ k: k.slice(), v: v.slice() })).toBe(base);
    for (const row of [0, 266_667, 533_334, N - 1]) {
      const v2 = v.slice();
      v2[row] += 1;
      expect(name({ k, v: v2 })).not.toBe(base);
      const k2 = k.slice();
      k2[row] ^= 1 << 30;
      expect(name({ k: k2, v })).not.toBe(base);
    }
    expect(name({ k, v }, 4)).not.toBe(base);
    expect(name({ k, v })).toBe(base);
  });
});
