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
export { GroupBy, SeriesGroupBy, type GroupbyOptions, type AggInput, type ValueCountsOptions } from './groupby';
export { fromArrow, fromColumns, fromRecords, type PartitionOptions } from './creation';
export { readCsv, type ReadCsvOptions, type CsvDtype } from './io/read-csv';
export { LocalFrame } from './local/frame';
export { LocalSeries, type Cell } from './local/series';
export type { ColumnInput } from './columns';
export type { ReductionOptions } from './reductions';
export type { Divisions } from './base';
export type { GroupAgg } from '@pdask/kernels';
export { CsvParseError } from './ops/csv';
