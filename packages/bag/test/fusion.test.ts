/**
 * Element-wise chains run fused (one task per partition, no intermediate arrays). Each case is
 * checked against values computed here in plain JS, and against the same steps run unfused: every
 * step on a persisted bag, so that each one is its own task over computed partitions.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools, collectionsToGraph, collectionSymbol, type Collection } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromSequence, range, readText, type Bag } from '../src/index';
import { iota, SCHEDULERS } from './helpers';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-bag-fusion-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  return closeThreadPools();
});

type Step = (b: Bag<unknown>) => Bag<unknown>;

/** The steps one after the other, each on the computed partitions of the previous one. */
async function unfused(b: Bag<unknown>, steps: readonly Step[]): Promise<Bag<unknown>> {
  let cur = await b.persist({ scheduler: 'sync' });
  for (const s of steps) cur = await s(cur).persist({ scheduler: 'sync' });
  return cur;
}

const fused = (b: Bag<unknown>, steps: readonly Step[]): Bag<unknown> => steps.reduce((acc, s) => s(acc), b);

function taskCount(c: Collection<unknown>): number {
  return collectionsToGraph([c[collectionSymbol]()], { optimizeGraph: false }).graph.size;
}

async function failure(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(Error);
  return e as Error;
}

describe('fusion: the graph', () => {
  it('map → filter → flatMap → pluck → sum is one task per partition (plus the aggregation)', () => {
    const b = fromSequence(iota(100), { npartitions: 4 });
    const chain = b
      .map((x) => [x, x * 2])
      .filter((p) => p[0] % 3 !== 0)
      .flatMap((p) => [p, p])
      .pluck(1);
    expect(taskCount(chain.sum())).toBe(4 + 1);
    // The chain as a bag: one task per partition too; its intermediate bags' keys are absent.
    expect(taskCount(chain)).toBe(4);
    const nodes = collectionsToGraph([chain.sum()[collectionSymbol]()], { optimizeGraph: false }).graph.toGraph();
    expect([...nodes.keys()].some((k) => k.startsWith('map-') || k.startsWith('filter-'))).toBe(false);
  });

  it('readText → flatMap → frequencies is one task per block', () => {
    const file = join(dir, 'graph.txt');
    writeFileSync(file, 'a b\nc d\n'.repeat(100));
    const f = readText(file, { blocksize: 200 }).flatMap((l) => l.trim().split(' ')).frequencies();
    const n = readText(file, { blocksize: 200 }).npartitions;
    expect(n).toBeGreaterThan(2);
    expect(taskCount(f)).toBe(n + 1);
  });

  it('keys are named as the unfused operations name them', () => {
    const b = fromSequence(iota(10), { npartitions: 2 });
    const inc = (x: number) => x + 1;
    expect(b.map(inc).name).toMatch(/^map-inc-/);
    expect(b.map(inc).filter(function keep(x) {
      return x > 2;
    }).name).toMatch(/^filter-keep-/);
    expect(b.map(inc).key(1)).toBe(`${b.map(inc).name}-1`);
  });
});

describe.each(SCHEDULERS)('fusion gives the unfused results (%s)', (_name, opts) => {
  const square: Step = (b) => (b as Bag<number>).map((x) => x * x);
  const odd: Step = (b) => (b as Bag<number>).filter((x) => x % 2 === 1);
  const none: Step = (b) => b.filter(() => false);
  const pairs: Step = (b) => (b as Bag<number>).flatMap((x) => (x % 3 === 0 ? [] : [x, -x]));

  const cases: [string, () => Bag<unknown>, Step[], number[]][] = [
    // [label, input, steps, the expected elements computed in plain JS]
    ['empty partitions (range 5 over 8)', () => range(5, { npartitions: 8 }), [square, odd], [1, 9]],
    ['a filter removing everything', () => fromSequence(iota(20), { npartitions: 4 }), [square, none], []],
    ['flatMap with empty results', () => fromSequence(iota(7), { npartitions: 3 }), [pairs, odd], [1, 5]],
    ['one partition', () => fromSequence(iota(6), { npartitions: 1 }), [pairs, square], [1, 1, 4, 4, 16, 16, 25, 25]],
    ['more partitions than elements', () => range(3, { npartitions: 6 }), [square], [0, 1, 4]],
    ['an empty bag', () => fromSequence([], { npartitions: 3 }), [square, odd], []],
  ];

  it.each(cases)('%s: elements and every reduction', async (_label, input, steps, expected) => {
    const f = fused(input(), steps) as Bag<number>;
    const u = (await unfused(input(), steps)) as Bag<number>;
    expect(await f.compute(opts)).toEqual(expected);
    expect(await u.compute(opts)).toEqual(expected);
    const sum = expected.reduce((a, b) => a + b, 0);
    for (const b of [f, u]) {
      expect(await b.sum().compute(opts)).toBe(sum);
      expect(await b.count().compute(opts)).toBe(expected.length);
      expect(await b.any().compute(opts)).toBe(expected.some(Boolean));
      expect(await b.all().compute(opts)).toBe(expected.every(Boolean));
      const mean = await b.mean().compute(opts);
      if (expected.length === 0) expect(mean).toBeNaN();
      else expect(mean).toBeCloseTo(sum / expected.length, 12);
      const counts = new Map<number, number>();
      for (const x of expected) counts.set(x, (counts.get(x) ?? 0) + 1);
      expect(await b.frequencies().compute(opts)).toEqual([...counts]);
      expect(await b.topk(2).compute(opts)).toEqual([...expected].sort((x, y) => y - x).slice(0, 2));
      expect(await b.fold((a: number, x: number) => a + x, undefined, 0).compute(opts)).toBe(sum);
      if (expected.length) {
        expect(await b.max().compute(opts)).toBe(Math.max(...expected));
        expect(await b.min().compute(opts)).toBe(Math.min(...expected));
      } else {
        // Nothing left in any partition: an error, fused or not.
        expect((await failure(b.max().compute(opts))).message).toMatch(/max\(\) of an empty bag/);
      }
    }
  });

  it('sum keeps left-to-right + of whatever comes out (strings, bigints)', async () => {
    const b = fromSequence(['a', 'b', 'c', 'd'], { npartitions: 2 });
    expect(await b.map((s) => s.toUpperCase()).sum({ splitEvery: false }).compute(opts)).toBe('ABCD');
    const big = fromSequence([1, 2, 3], { npartitions: 3 }).map((x) => BigInt(x) ** 40n);
    expect(await big.sum().compute(opts)).toBe(1n + 2n ** 40n + 3n ** 40n);
  });

  it('an error names the stage, the partition and the element index within that stage input, keeping class and stack', async () => {
    // After the filter, partition 1 holds [10, 12, 14, 16, 18]: 14 is element 2 of the map's input.
    const steps: Step[] = [
      (b) => (b as Bag<number>).filter((x) => x % 2 === 0),
      (b) =>
        (b as Bag<number>).map(function explode(x) {
          if (x === 14) throw new RangeError(`bad ${x}`);
          return x;
        }),
    ];
    const input = () => fromSequence(iota(20), { npartitions: 2 });
    const errs = [
      await failure((fused(input(), steps) as Bag<number>).sum().compute(opts)),
      await failure(fused(input(), steps).compute(opts)),
      await failure(unfused(input(), steps).then((b) => b.compute(opts))),
    ];
    for (const e of errs) {
      expect(e).toBeInstanceOf(RangeError);
      expect(e.message).toBe('in Bag.map (partition 1, element 2): bad 14');
      expect(e.stack).toMatch(/^RangeError: in Bag\.map \(partition 1, element 2\): bad 14/);
      expect(e.stack).toMatch(/explode/);
    }
  });

  it('errors of flatMap, pluck and zipped bags read the same fused or not', async () => {
    const input = () => fromSequence([1, 2, 3, 4], { npartitions: 2 }) as Bag<unknown>;
    const notIterable: Step[] = [(b) => b.map((x) => x), (b) => b.flatMap((x) => (x === 4 ? (5 as never) : [x]))];
    const missing: Step[] = [(b) => b.map((x) => (x === 3 ? {} : { w: x })), (b) => b.filter(() => true), (b) => b.pluck('w' as never)];
    const custom: Step[] = [
      (b) => b.map((x) => x),
      (b) =>
        b.filter((x) => {
          if (x === 3) {
            class CustomError extends Error {
              override name = 'CustomError';
            }
            throw new CustomError('custom');
          }
          return true;
        }),
    ];
    for (const steps of [notIterable, missing, custom]) {
      const a = await failure(fused(input(), steps).count().compute(opts));
      const b = await failure(unfused(input(), steps).then((u) => u.count().compute(opts)));
      expect(a.name).toBe(b.name);
      expect(a.message).toBe(b.message);
    }
    expect((await failure(fused(input(), notIterable).count().compute(opts))).message).toBe('Bag.flatMap: element 1 of partition 1 is not iterable (number)');
    expect((await failure(fused(input(), custom).compute(opts))).message).toBe('in Bag.filter (partition 1, element 0): custom');
    // A bag read element-wise after a filter: the filtered partitions are computed first and the
    // lengths checked, as before fusion.
    const other = fromSequence([10, 20, 30, 40], { npartitions: 2 });
    const odd = fromSequence([1, 2, 3, 4], { npartitions: 2 }).map((x) => x * 1).filter((x) => x % 2 === 1);
    await expect(odd.map((x, y: number) => x + y, other).compute(opts)).rejects.toThrow(/partition 0 of the bags being combined element-wise has 1 and 2 elements/);
    const same = fromSequence([1, 2, 3, 4], { npartitions: 2 }).map((x) => x * 10);
    expect(await same.map((x, y: number) => x + y, other).filter((x) => x > 30).compute(opts)).toEqual([40, 60, 80]);
  });

  it('readText → flatMap → frequencies counts what plain JS counts (blocks, no final newline, empty file)', async () => {
    const words = ['apple', 'pear', 'fig', 'kiwi', 'plum'];
    const expected = new Map<string, number>();
    let text = '';
    for (let i = 0; i < 500; i++) {
      const line = [words[i % 5], words[(i * 7) % 5], words[(i * i) % 5]];
      for (const w of line) expected.set(w, (expected.get(w) ?? 0) + 1);
      text += line.join(' ') + (i === 499 ? '' : '\n');
    }
    writeFileSync(join(dir, 'w-0.txt'), text);
    writeFileSync(join(dir, 'w-1.txt'), '');
    for (const blocksize of [undefined, 97, 1000]) {
      const lines = readText(join(dir, 'w-*.txt'), { blocksize });
      const split: Step = (b) => (b as Bag<string>).flatMap((l) => l.trimEnd().split(' '));
      const got = (await fused(lines, [split]).frequencies(true).compute(opts)) as [string, number][];
      const ref = (await (await unfused(lines, [split])).frequencies(true).compute(opts)) as [string, number][];
      expect(new Map(got)).toEqual(expected);
      expect(got).toEqual(ref);
      // Lines themselves, fused with a map, keep their delimiter as readText's own partitions do.
      expect(await lines.map((l) => l.length).sum().compute(opts)).toBe(text.length);
    }
  });
});
