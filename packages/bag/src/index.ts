/**
 * @pdask/bag — parallel collections of arbitrary JavaScript values (Dask Bag for TypeScript).
 *
 *   import * as db from '@pdask/bag';
 *   const total = await db.fromSequence(range, { npartitions: 4 }).map((x) => x ** 2).sum().compute();
 *
 * User functions run on worker threads: they are shipped as source text and must be
 * self-contained (pass captured values as extra arguments, or use core's `fromModule`).
 */
export { Bag, isBag, type BagArg, type BagArgs } from './bag';
export { Item } from './item';
export { fromSequence, range, fromDelayed, concat, zip, type FromSequenceOptions, type RangeOptions } from './creation';
export { readText, type ReadTextOptions } from './io/read-text';
export type { ToTextFilesOptions } from './io/to-text-files';
export type { TakeOptions } from './combine';
export type { GroupbyOptions } from './shuffle';
export type { ReductionOptions, FoldOptions, ReductionFunctionOptions } from './reductions/options';
export type { KeySpec, UserFunction } from './graph';
// Re-exported so that `db.fromModule(...)` works without importing core.
export { fromModule, UnshippableFunctionError } from '@pdask/core';
export { StringAccessor } from './str';
export type { RandomSampleOptions } from './sample';
export { map, mapPartitions, type PartitionArgs } from './multi';
export type { RepartitionOptions } from './repartition-size';
export { readJson } from './io/read-json';
export { readAvro, type ReadAvroOptions } from './io/read-avro';
export type { ToDataFrameOptions } from './to-dataframe';
