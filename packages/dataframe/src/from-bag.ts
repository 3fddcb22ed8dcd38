/**
 * fromBag: a DataFrame whose partitions are the partitions of a bag of records (Dask's
 * `Bag.to_dataframe`; `@pdask/bag`'s `toDataFrame` calls this). The bag is taken by its lazy
 * partitions (`toDelayed()`), so this package does not depend on @pdask/bag.
 */
import { checkOptions, layerNode, lit, ref, tokenize, type Delayed, type LayerNode, type OptionSchema } from '@pdask/core';
import { parseDtype, type Dtype } from './dtypes';
import { DataFrame } from './frame';
import { FrameLayer, partitionKey } from './graph';
import { dataframeOps } from './ops/index';

/** What fromBag reads: anything with lazy partitions of records, e.g. a `@pdask/bag` Bag. */
export interface RecordPartitions {
  readonly npartitions: number;
  toDelayed(): readonly Delayed<readonly unknown[]>[];
}

export interface FromBagOptions {
  /** The columns and their dtypes, in order: `{ name: 'string', amount: 'float64' }`. */
  meta: Readonly<Record<string, Dtype>>;
}

const FROM_BAG_OPTIONS: OptionSchema<FromBagOptions> = {
  meta: (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? undefined : '{ column: dtype, ... }'),
};

/**
 * A frame with one partition per bag partition. Elements that are objects are read by column
 * name (a missing key is null); arrays are read by position. Divisions are unknown.
 */
export function fromBag(bag: RecordPartitions, opts: FromBagOptions): DataFrame {
  if (typeof bag !== 'object' || bag === null || typeof (bag as RecordPartitions).toDelayed !== 'function') throw new TypeError('fromBag: expected a bag (anything with toDelayed() giving lazy partitions)');
  const { meta } = checkOptions('fromBag', opts, FROM_BAG_OPTIONS);
  if (meta === undefined) throw new TypeError('fromBag: give { meta: { column: dtype, ... } }');
  const names = Object.keys(meta);
  if (names.length === 0) throw new RangeError('fromBag: meta has no columns');
  const types = names.map((n) => parseDtype(meta[n], 'fromBag', `column '${n}' in meta`));
  const parts = bag.toDelayed();
  const out = { kind: 'frame' as const, names, types };
  const name = `from-bag-${tokenize(parts.map((d) => d.key), names, types)}`;
  const parents: LayerNode[] = [...new Set(parts.map((d) => d.layer))];
  const layer = new FrameLayer(name, 'from-bag', function* () {
    for (let i = 0; i < parts.length; i++) yield dataframeOps.recordsPart.task(partitionKey(name, i), lit(i), ref(parts[i].key), lit(out));
  });
  return new DataFrame(name, parts.length, layerNode(layer, parents), null, { names, types, index: null });
}
