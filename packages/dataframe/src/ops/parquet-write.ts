/**
 * Writing one partition as Parquet (toParquet): the task lives with the writer in
 * io/parquet/write-part.ts; the catalogue takes it from here.
 */
export { writeParquetPart, type ParquetWriteSpec } from '../io/parquet/write-part';
