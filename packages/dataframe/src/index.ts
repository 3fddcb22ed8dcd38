/**
 * @pdask/dataframe — partitioned Apache Arrow tables (Dask DataFrame for TypeScript).
 *
 *   import * as dd from '@pdask/dataframe';
 *   const ddf = dd.fromColumns({ x, y }, { npartitions: 4 });
 *   console.log(String(await ddf.groupby('x').col('y').mean().compute()));
 */
export { DataFrame, type HeadOptions } from './frame';
export { Series } from './series';
export { Scalar } from './scalar';
export { GroupBy, SeriesGroupBy, type GroupbyOptions, type AggInput, type AggFunc, type ValueCountsOptions } from './groupby';
export { Aggregation, type AggregationSpec } from './aggregation';
export { GroupedValues, PerGroup, type PerGroupResult } from './ops/grouped';
export { merge, type MergeOptions } from './merge';
export type { SortValuesOptions } from './sort';
export type { SetIndexOptions } from './set-index';
export { fromArrow, fromColumns, fromRecords, type PartitionOptions } from './creation';
export { readCsv, type ReadCsvOptions, type CsvDtype } from './io/read-csv';
export type { ToCsvOptions } from './io/to-csv';
export { readParquet, type ReadParquetOptions } from './io/read-parquet';
export type { ToParquetOptions } from './io/to-parquet';
export { LocalFrame, type ToRecordsOptions } from './local/frame';
export { LocalSeries, type Cell, type Label } from './local/series';
export type { ColumnInput } from './columns';
export type { Dtype } from './dtypes';
export type { DropnaOptions, RenameOptions } from './columns-ops';
export type { FillValue } from './ops/missing';
export type { MapResult, MapColumn, MapOutput, MapFunction, MapOptions, MetaInput } from './map-partitions';
export type { ReductionOptions } from './reductions';
export type { Divisions, IndexMeta, IndexLevel } from './base';
export type { GroupAgg } from './ops/group-aggs';
export type { ReduceAgg } from './ops/reduce';
export { CsvParseError } from './ops/csv';
export type { ExtraDtype } from './dtypes';
export { DatetimeAccessor } from './accessors/dt';
export { StringAccessor, type ContainsOptions, type MatchOptions, type ReplaceOptions, type SplitOptions, type CatOptions } from './accessors/str';
export { CategoricalAccessor } from './accessors/cat';
export type { TypedValue } from './reductions-typed';
export { concat, type ConcatOptions } from './concat';
export type { CumulativeOptions, TailOptions } from './cumulative';
export type { CorrOptions, CovOptions, DescribeOptions, IdxOptions, QuantileOptions } from './stats';
export type { SampleOptions } from './sample';
export { fromBag, type FromBagOptions, type RecordPartitions } from './from-bag';
export type { ToArrayOptions } from './to-array';
