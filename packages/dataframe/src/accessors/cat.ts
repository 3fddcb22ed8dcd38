/**
 * `series.cat` (Dask's CategoricalAccessor) of a category series. As in Dask, categories are
 * unknown after astype('category') or readCsv (each partition has its own); `asKnown()` computes
 * them (the partitions' categories, first seen first, as Dask's as_known) and recodes every
 * partition to them, and only then are `categories` and `codes` available.
 */
import { arr, lit, ref, treeReduce, type ComputeOptions } from '@pdask/core';
import { opName, partitionKey } from '../graph';
import { Scalar } from '../scalar';
import { dataframeOps } from '../ops/index';
import type { TypeDesc } from '../ops/types';
import type { Series } from '../series';
import { mapSeries, outName } from './column-map';

/** Known categories of series made by asKnown, by collection name (the meta has no room for them). */
const KNOWN = new Map<string, readonly string[]>();

export class CategoricalAccessor {
  /** @internal Made by `series.cat`. */
  constructor(private readonly s: Series) {
    if (s.typeDesc.id !== 'dict') throw new TypeError(`Series.cat: series '${s.seriesName}' has dtype ${s.dtype}; .cat needs a category series (astype('category'))`);
  }

  /** Whether the categories are known (Dask's `known`). */
  get known(): boolean {
    return KNOWN.has(this.s.name);
  }

  /** The categories, once known; Dask raises for unknown ones too. */
  get categories(): readonly string[] {
    const c = KNOWN.get(this.s.name);
    if (!c) throw new Error(`Series.cat.categories: the categories of '${this.s.seriesName}' are unknown; call await s.cat.asKnown() first (as Dask's cat.as_known())`);
    return c;
  }

  /** The codes into the known categories (-1 for missing), int8/16/32 by their count as pandas. */
  get codes(): Series {
    const cats = this.categories;
    const type: TypeDesc = { id: 'int', bits: cats.length < 127 ? 8 : cats.length < 32767 ? 16 : 32, signed: true };
    return mapSeries(this.s, 'cat-codes', [cats], type, (key, part) => dataframeOps.catCodes.task(key, part, lit(this.s.seriesName), lit(cats), outName(this.s), lit(type)));
  }

  /** A series with known categories: computes the categories of every partition now (as Dask does). */
  async asKnown(opts: ComputeOptions = {}): Promise<Series> {
    const s = this.s;
    const known = KNOWN.get(s.name);
    if (known) return s;
    const name = opName('cat-categories', s.name);
    const { node } = treeReduce(
      {
        name,
        label: 'categories',
        grid: s.npartitions,
        splitEvery: false,
        partial: (_, i) => dataframeOps.catCategories.call(ref(partitionKey(s.name, i)), lit(s.seriesName)),
        combine: (parts) => dataframeOps.catUnion.call(arr(parts)),
        aggregate: (parts) => dataframeOps.catUnion.call(arr(parts)),
      },
      [s.layer],
    );
    const cats = await new Scalar<string[]>(name, node).compute(opts);
    const out = mapSeries(s, 'cat-as-known', [cats], s.typeDesc, (key, part) => dataframeOps.catRecode.task(key, part, lit(s.seriesName), lit(cats), outName(s)));
    KNOWN.set(out.name, cats);
    return out;
  }

  /** The same series with its categories forgotten (Dask's as_unknown). */
  asUnknown(): Series {
    const s = this.s;
    return mapSeries(s, 'cat-as-unknown', [], s.typeDesc, (key, part) => dataframeOps.selectColumns.task(key, part, lit([s.seriesName])));
  }
}
