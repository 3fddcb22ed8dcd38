/**
 * bag.str (Python's string methods, fnmatch), randomSample (the same elements as Dask for the
 * same seed) and unzip, against values recorded from Dask 2022.12 by fixtures/make_bag_extras.py.
 */
import { closeThreadPools } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import { fromSequence, range } from '../src/index';
import { PythonRandom } from '../src/ops/python-random';
import { EXTRAS } from './fixtures';
import { SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

const S = EXTRAS.str;

describe("Python's random.Random", () => {
  it('random() and randint(0, 2**32) give CPython\'s numbers for the same seed', () => {
    const r = PythonRandom.seeded(BigInt(EXTRAS.mt.seed));
    expect(Array.from({ length: 5 }, () => r.random())).toEqual(EXTRAS.mt.random);
    const q = PythonRandom.seeded(BigInt(EXTRAS.mt.seed));
    expect(Array.from({ length: 5 }, () => q.randint0To2p32())).toEqual(EXTRAS.mt.randint);
    const big = PythonRandom.seeded(2n ** 70n + 3n);
    expect(Array.from({ length: 3 }, () => big.random())).toEqual(EXTRAS.mt.bigSeedRandom);
  });
});

describe.each(SCHEDULERS)('bag.str, randomSample, unzip (%s)', (_s, opts) => {
  // Three partitions of 3, and size-1 partitions.
  const bags = [fromSequence(S.input, { npartitions: 3 }), fromSequence(S.input, { npartitions: S.input.length })];

  it.each([0, 1])('string methods follow Python (partitioning %i)', async (k) => {
    const sb = bags[k];
    const cases: [string, () => { compute(o: typeof opts): Promise<unknown[]> }][] = [
      ['lower', () => sb.str.lower()],
      ['upper', () => sb.str.upper()],
      ['strip', () => sb.str.strip()],
      ['stripChars', () => sb.str.strip(' Ahx')],
      ['lstrip', () => sb.str.lstrip()],
      ['rstrip', () => sb.str.rstrip()],
      ['split', () => sb.str.split()],
      ['splitSpace', () => sb.str.split(' ')],
      ['splitComma1', () => sb.str.split(',', 1)],
      ['splitNone1', () => sb.str.split(null, 1)],
      ['rsplitNone1', () => sb.str.rsplit(null, 1)],
      ['rsplitComma1', () => sb.str.rsplit(',', 1)],
      ['startswithA', () => sb.str.startswith('A')],
      ['endswithSmith', () => sb.str.endswith('smith')],
      ['replace', () => sb.str.replace('Smith', 'S.')],
      ['replaceEmpty', () => sb.str.replace('', '-')],
      ['replaceCount1', () => sb.str.replace('i', 'I', 1)],
      ['countI', () => sb.str.count('i')],
      ['findSmith', () => sb.str.find('Smith')],
      ['capitalize', () => sb.str.capitalize()],
      ['title', () => sb.str.title()],
      ['matchStarSmith', () => sb.str.match('*Smith')],
      ['matchClass', () => sb.str.match('[A-C]*')],
      ['matchNegClass', () => sb.str.match('[!A-C]*')],
      ['matchQuestion', () => sb.str.match('?mith*')],
      ['matchBracketLiteral', () => sb.str.match('[[]Smith]')],
      ['matchStarLiteral', () => sb.str.match('Smith[*]')],
      ['matchNewline', () => sb.str.match('x*z')],
    ];
    for (const [name, make] of cases) expect([name, await make().compute(opts)]).toEqual([name, S[name]]);
  });

  it('str steps fuse with other element-wise steps; equal calls give equal keys (as Dask)', async () => {
    const sb = bags[0];
    expect(sb.str.match('*Smith').name).toBe(sb.str.match('*Smith').name);
    expect(sb.str.match('*Smith').name).not.toBe(sb.str.match('*John').name);
    const n = await sb.str.strip().str.lower().filter((s) => s !== '').str.split().map((ws) => ws.length).sum().compute(opts);
    expect(n).toBe((S.split as string[][]).reduce((a, ws) => a + ws.length, 0));
  });

  it('a non-string element fails naming the method, partition and element', async () => {
    await expect(fromSequence(['a', 3, 'b'] as unknown[], { npartitions: 1 }).str.upper().compute(opts)).rejects.toThrow(
      /in Bag\.map \(partition 0, element 1\): Bag\.str\.upper: the element is number, not a string/,
    );
    await expect(fromSequence(['a'], { npartitions: 1 }).str.split('').compute(opts)).rejects.toThrow(/empty separator/);
  });

  it.each(Object.keys(EXTRAS.randomSample))('randomSample keeps the elements Dask keeps (%s)', async (k) => {
    const { seed, n, npartitions, prob, sample } = EXTRAS.randomSample[k];
    const b = fromSequence(Array.from({ length: n }, (_, i) => i), { npartitions });
    expect(await b.randomSample(prob, { randomState: seed }).compute(opts)).toEqual(sample);
    // A bigint seed is the same seed; the sample is a pure function of it.
    expect(await b.randomSample(prob, { randomState: BigInt(seed) }).compute(opts)).toEqual(sample);
  });

  it('randomSample: empty partitions, an unseeded sample, bad arguments', async () => {
    const r = range(5, { npartitions: 8 });
    expect(await r.randomSample(1, { randomState: 3 }).compute(opts)).toEqual([0, 1, 2, 3, 4]);
    const unseeded = await range(2000, { npartitions: 3 }).randomSample(0.5).compute(opts);
    // Sorted, a subset, and of a plausible size (mean 1000, sd ~22: 10 sd either side).
    expect(unseeded.every((x, i) => i === 0 || x > unseeded[i - 1])).toBe(true);
    expect(unseeded.length).toBeGreaterThan(780);
    expect(unseeded.length).toBeLessThan(1220);
    expect(() => r.randomSample(1.5)).toThrow(/prob must be a number in the interval \[0, 1\], got 1.5/);
    expect(() => r.randomSample(Number.NaN)).toThrow(/interval \[0, 1\]/);
    expect(() => r.randomSample(0.5, { randomState: 0.5 })).toThrow(/randomState/);
    expect(() => r.randomSample(0.5, { seed: 1 } as never)).toThrow(/unknown option 'seed'/);
  });

  it('unzip(n) gives n bags of the tuple positions', async () => {
    const { input, out } = EXTRAS.unzip;
    const [a, b, c] = fromSequence(input, { npartitions: 3 }).unzip(3);
    expect([await a.compute(opts), await b.compute(opts), await c.compute(opts)]).toEqual(out);
    expect(await fromSequence(input, { npartitions: 7 }).unzip(1)[0].compute(opts)).toEqual(out[0]);
    expect(fromSequence(input).unzip(0)).toEqual([]);
    expect(() => fromSequence(input).unzip(-1)).toThrow(/non-negative integer/);
  });
});
