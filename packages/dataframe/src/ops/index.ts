/**
 * Built-in operations of @pdask/dataframe, importable by worker threads as
 * `@pdask/dataframe/ops`. Each is registered with core's defineOp under its export name.
 */
export { DF_OPS, INDEX_COLUMN } from './spec';
export type { Part, Batch } from './part';
export * from './frame';
export * from './elementwise';
export * from './reduce';
export * from './groupby';
export * from './finalize';
export * from './csv';
export * from './map';
export * from './missing';
export * from './shuffle';
export * from './join';
export * from './sort';
export * from './csv-write';
export * from './parquet-read';
export * from './parquet-write';
