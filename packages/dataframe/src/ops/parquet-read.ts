/**
 * Reading one piece of a Parquet file (readParquet): the task lives with the reader in
 * io/parquet/read-piece.ts; the catalogue takes it from here.
 */
export { readParquetPiece, type ParquetPiece } from '../io/parquet/read-piece';
