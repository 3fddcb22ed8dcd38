/**
 * The built-in operations of @pdask/dataframe: worker threads import this module as
 * `@pdask/dataframe/ops`, which registers the catalogue. Each key is the operation's name; the
 * rest of the package refers to operations only through these handles.
 */
import { defineCatalogue } from '@pdask/core';
import { collectPaths, writeCsvPart } from './csv-write';
import { readCsvBlock } from './csv';
import { arith, compare, compareString, logic } from './elementwise';
import { toLocalFrame, toLocalSeries } from './finalize';
import { assignColumns, filterRows, headRows, partLength, passPart, selectColumns, sumNumbers } from './frame';
import { groupbyCombine, groupbyFinal, groupbyPartial } from './groupby';
import { joinPieces } from './join';
import { mapPartition } from './map';
import { astypeColumns, dropnaRows, fillnaColumns, isnaColumns, renameColumns, setIndexColumn } from './missing';
import { readParquetPiece } from './parquet-read';
import { writeParquetPart } from './parquet-write';
import { reduceCombine, reducePartial, reduceScalar, reduceSeries } from './reduce';
import { hashSplit, pickPiece } from './shuffle';
import { rangeBoundaries, rangeSplit, rangeSplitBuckets, sampleSortKeys, sortPieces } from './sort';
import { cumulativeApply, cumulativeCarry, cumulativePart, shiftEdge, shiftPart } from './cumulative';
import { samplePart, sideBySide, stackParts, tailRows } from './stack';
import { coCombine, coFrame, coPairPartial, coPartial, coScalar, describeFrame, idxCombine, idxPartial, idxScalar, idxSeries, quantileFrame, quantileScalar, quantileSeries, sortedCombine, sortedPartial } from './stats';
import { addRangeIndex, alignPair, columnStats, concatParts, dropIndex, indexValues, joinOnIndex, pickOfPair, rowsWithLabel, listOf, setIndexKeep, sliceLabels, splitRows } from './index-ops';
import { dtColumn } from './dt-ops';
import { strColumn } from './str-ops';
import { catCategories, catCodes, catRecode, catUnion } from './cat-ops';
import { typedReduceCombine, typedReducePartial, typedReduceScalar } from './reduce-typed';
import { recordsPart } from './from-bag';
import { elemColumns } from './elementwise-more';
import { applyRows, mapValues } from './map-values';
import { countKeys, countKeysSeries, dedupRows, distinctKeys, topRows, unionKeys, uniqueValues } from './distinct';
import { dummiesPart, meltPart, pivotUnstack } from './reshape';
import { gatherTagged, groupApplyPart, groupTransformPart, splitByTag, tagRows } from './group-shuffle';
import { resampleFinal, resamplePartial } from './resample';
import { rollingApply, rollingHead, rollingTail } from './rolling';
import { groupScanStep, scanPartOf, scanStateOf } from './group-scan';
import { groupExactCombine, groupExactFinal, groupExactPartial, zipGroupResults } from './group-exact';
import { partToBlock } from './to-array';
import { frameArith, seriesArithFill } from './frame-arith';
import { groupScanMany, groupTransformMany, scanManyPartOf, scanManyStateOf } from './group-multi';
import { partBytes, splitEvenly } from './part-size';
import { crossParts } from './cross-join';
import { readCsvRemoteBlock } from './csv-remote';

export const dataframeOps = defineCatalogue('@pdask/dataframe/ops', {
  // Sources and sinks
  passPart,
  readCsvBlock,
  readParquetPiece,
  writeCsvPart,
  writeParquetPart,
  collectPaths,
  // Partition-wise
  selectColumns,
  assignColumns,
  filterRows,
  arith,
  compare,
  compareString,
  logic,
  isnaColumns,
  fillnaColumns,
  dropnaRows,
  astypeColumns,
  renameColumns,
  setIndexColumn,
  mapPartition,
  // Whole-collection
  headRows,
  partLength,
  sumNumbers,
  reducePartial,
  reduceCombine,
  reduceScalar,
  reduceSeries,
  groupbyPartial,
  groupbyCombine,
  groupbyFinal,
  hashSplit,
  pickPiece,
  joinPieces,
  sampleSortKeys,
  rangeBoundaries,
  rangeSplit,
  rangeSplitBuckets,
  sortPieces,
  // Finalizers (computed partitions to the caller's result)
  toLocalFrame,
  toLocalSeries,
  // The index and divisions (index-ops.ts)
  addRangeIndex,
  sliceLabels,
  rowsWithLabel,
  concatParts,
  splitRows,
  columnStats,
  alignPair,
  pickOfPair,
  joinOnIndex,
  indexValues,
  dropIndex,
  setIndexKeep,
  listOf,
  // Accessors (.dt, .str, .cat) and exact 64-bit / datetime reductions
  dtColumn,
  strColumn,
  catCategories,
  catRecode,
  catCodes,
  catUnion,
  typedReducePartial,
  typedReduceCombine,
  typedReduceScalar,
  // Along the rows with the neighbours' rows (cumulative.ts), rows stacked and sampled (stack.ts)
  cumulativePart,
  cumulativeCarry,
  cumulativeApply,
  shiftEdge,
  shiftPart,
  tailRows,
  stackParts,
  sideBySide,
  samplePart,
  // Holistic reductions (stats.ts): idxmax/idxmin, quantiles and describe, corr/cov
  idxPartial,
  idxCombine,
  idxScalar,
  idxSeries,
  sortedPartial,
  sortedCombine,
  quantileScalar,
  quantileSeries,
  quantileFrame,
  describeFrame,
  coPartial,
  coPairPartial,
  coCombine,
  coScalar,
  coFrame,
  // fromBag (from-bag.ts)
  recordsPart,
  // Value-by-value methods, distinct rows, top rows and reshaping (issue #11's methods)
  elemColumns,
  mapValues,
  applyRows,
  dedupRows,
  uniqueValues,
  distinctKeys,
  unionKeys,
  countKeys,
  countKeysSeries,
  topRows,
  meltPart,
  dummiesPart,
  pivotUnstack,
  // Group-by: exact aggregations, series keys, scans within groups, shuffles (group-*.ts)
  groupExactPartial,
  groupExactCombine,
  groupExactFinal,
  zipGroupResults,
  groupScanStep,
  scanStateOf,
  scanPartOf,
  rollingTail,
  rollingHead,
  rollingApply,
  resamplePartial,
  resampleFinal,
  tagRows,
  splitByTag,
  gatherTagged,
  groupTransformPart,
  groupApplyPart,
  partToBlock,
  // Frames combined with frames and series aligned on the index (frame-arith.ts)
  frameArith,
  seriesArithFill,
  // Group-by scans and transforms of several columns at once (group-multi.ts)
  groupScanMany,
  scanManyStateOf,
  scanManyPartOf,
  groupTransformMany,
  // repartition({ partitionSize }) (part-size.ts)
  partBytes,
  splitEvenly,
  // Cross joins (cross-join.ts)
  crossParts,
  // readCsv from a Blob, File or URL (csv-remote.ts)
  readCsvRemoteBlock,
});
