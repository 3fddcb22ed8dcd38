/**
 * sample({ frac, replace, randomState }): each partition samples round(frac * its rows) rows, as
 * Dask (so the fraction is approximate overall). Every partition gets its own seed, derived from
 * randomState (or from a seed drawn when the graph is built), so results are the same on every
 * scheduler and every run of the same graph.
 */
import { checkOptions, lit, ref, type OptionSchema } from '@pdask/core';
import { partitionwise } from './base';
import { DataFrame } from './frame';
import { partitionKey } from './graph';
import { remake, withExplicitIndex } from './index-ops/common';
import { dataframeOps } from './ops/index';
import { refusing } from './options';
import type { Series } from './series';

export interface SampleOptions {
  /** The fraction of each partition's rows to draw (above 1 only with replace). */
  frac: number;
  /** Draw with replacement (default false). */
  replace?: boolean;
  /** A seed (an integer): the same seed gives the same rows. */
  randomState?: number;
}

const SAMPLE_OPTIONS: OptionSchema<SampleOptions> = refusing<SampleOptions>(
  {
    frac: (v) => (typeof v === 'number' && v >= 0 && Number.isFinite(v) ? undefined : 'a non-negative number'),
    replace: 'boolean',
    randomState: (v) => (Number.isInteger(v) && (v as number) >= 0 && (v as number) < 2 ** 32 ? undefined : 'an integer in [0, 2^32)'),
  },
  { n: "Dask's sample takes frac only (the number of rows per partition is not known)", weights: 'not implemented yet', axis: 'not implemented yet' },
);

/** Partition i's seed: a 32-bit mix of the seed and i. */
function seedOf(seed: number, i: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  return (h ^ (h >>> 15)) >>> 0;
}

export function sampleOf<C extends DataFrame | Series>(c: C, opts: SampleOptions, method: string): C {
  const o = checkOptions(method, opts, SAMPLE_OPTIONS);
  if (o.frac === undefined) throw new TypeError(`${method}: frac is required (e.g. { frac: 0.1 })`);
  const replace = o.replace ?? false;
  if (o.frac > 1 && !replace) throw new RangeError(`${method}: frac is ${o.frac}; a fraction above 1 needs replace: true`);
  const seed = o.randomState ?? Math.floor(Math.random() * 2 ** 32);
  // Rows keep their labels: a frame labelled by row positions with known divisions gets them as an index.
  const src = c.meta.index === null && c.divisions !== null ? withExplicitIndex(c, method) : c;
  const { name, layer } = partitionwise([src], {
    kind: 'sample',
    token: [seed, o.frac, replace],
    task: (key, i) => dataframeOps.samplePart.task(key, ref(partitionKey(src.name, i)), lit(seedOf(seed, i)), lit(o.frac), lit(replace)),
  });
  return remake(src, name, layer, src.npartitions, src.divisions);
}
