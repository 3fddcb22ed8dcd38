/**
 * The catalogue of @pdask/bag's built-in operations, importable by worker threads as
 * `@pdask/bag/ops` (importing it registers them). Each key below is the operation's name, written
 * here only: the rest of the package refers to operations through these handles.
 */
import { defineCatalogue } from '@pdask/core';
import {
  accumulatePartition,
  alias,
  applyToItem,
  concatPartitions,
  joinPartition,
  mapPartitionsCall,
  pick,
  productPartition,
  rangePartition,
  slicePartition,
  slicePiece,
  toPartition,
  unpackNumbers,
  zipPartitions,
  callPlaced,
  partitionBytes,
  parseJsonLine,
} from './elementwise';
import { readTextBlock, writeTextPartition } from './io';
import { pipePartition, pipeReduce } from './pipeline';
import {
  allOf,
  anyOf,
  callUser,
  combineMoments,
  countOf,
  countValues,
  distinctMerge,
  distinctOf,
  foldbyMerge,
  foldbyPairs,
  foldbyPart,
  foldMerge,
  foldPart,
  frequencyPairs,
  maxOf,
  meanOfMoments,
  mergeCounts,
  minOf,
  momentsOf,
  reduceAggregate,
  reducePart,
  stdOfMoments,
  sumOf,
  topkMerge,
  topkOf,
  varOfMoments,
} from './reduce';
import { shuffleCollect, shuffleSplit } from './shuffle';
import { randomSamplePartition } from './python-random';
import { readAvroBlock } from './avro';
import {
  strCapitalize,
  strCount,
  strEndswith,
  strFind,
  strLower,
  strLstrip,
  strMatch,
  strReplace,
  strRsplit,
  strRstrip,
  strSplit,
  strStartswith,
  strStrip,
  strTitle,
  strUpper,
} from './str';

export const bagOps = defineCatalogue('@pdask/bag/ops', {
  // partition-wise (elementwise.ts)
  mapPartitionsCall,
  zipPartitions,
  productPartition,
  toPartition,
  concatPartitions,
  slicePartition,
  slicePiece,
  alias,
  pick,
  rangePartition,
  unpackNumbers,
  accumulatePartition,
  joinPartition,
  applyToItem,
  // fused element-wise chains (pipeline.ts)
  pipePartition,
  pipeReduce,
  // tree reduction steps (reduce.ts): the generic wrappers, then the steps of the reductions table
  reducePart,
  reduceAggregate,
  callUser,
  sumOf,
  countOf,
  anyOf,
  allOf,
  maxOf,
  minOf,
  momentsOf,
  combineMoments,
  meanOfMoments,
  varOfMoments,
  stdOfMoments,
  countValues,
  mergeCounts,
  frequencyPairs,
  foldbyPart,
  foldbyMerge,
  foldbyPairs,
  foldPart,
  foldMerge,
  topkOf,
  topkMerge,
  distinctOf,
  distinctMerge,
  // groupby's shuffle (shuffle.ts)
  shuffleSplit,
  shuffleCollect,
  // text files (io.ts)
  readTextBlock,
  writeTextPartition,
  // randomSample (python-random.ts)
  randomSamplePartition,
  // bag.str (str.ts)
  strLower,
  strUpper,
  strCapitalize,
  strTitle,
  strStrip,
  strLstrip,
  strRstrip,
  strSplit,
  strRsplit,
  strStartswith,
  strEndswith,
  strReplace,
  strCount,
  strFind,
  strMatch,
  // db.map / db.mapPartitions with the first bag not first (elementwise.ts)
  callPlaced,
  // repartition({ partitionSize }) (elementwise.ts)
  partitionBytes,
  // readJson, readAvro (elementwise.ts, avro.ts)
  parseJsonLine,
  readAvroBlock,
});

export type BagOps = typeof bagOps;

export { NO_RESULT, isNoResult } from './spec';
