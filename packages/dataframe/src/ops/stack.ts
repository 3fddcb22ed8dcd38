/**
 * Rows of several partitions as one (dd.concat along the rows, tail) and columns of several
 * partitions side by side (dd.concat along the columns, partitions with the same rows), and random
 * samples of a partition's rows.
 */
import { makeVector, vectorFromArray, type Vector } from 'apache-arrow';
import { findColumn } from './frame';
import { batchOf, decodePart, encodeBatch, type Batch, type Part } from './part';
import { concatPieces } from './shuffle';
import { indexColumnsOf, isIndexColumn } from './spec';
import { arrowType, describeType, type TypeDesc } from './types';
import { takeRows, toFloat64 } from './values';

/** The last n rows of some partitions, in order, as one partition (Dask's tail). */
export const tailRows = (parts: readonly Part[], n: number): Part => {
  const b = concatPieces(parts);
  return encodeBatch(batchOf(b.names, b.vectors.map((v) => v.slice(Math.max(0, b.numRows - n), b.numRows))));
};

function missingVector(t: TypeDesc, n: number): Vector {
  if (t.id === 'float') return makeVector(new Float64Array(n).fill(NaN));
  return vectorFromArray(new Array<null>(n).fill(null), arrowType(t));
}

/** `v` as type t: the same when it already is, else float64 (the only widening dd.concat makes). */
function cast(v: Vector, t: TypeDesc, column: string): Vector {
  if (JSON.stringify(describeType(v.type)) === JSON.stringify(t)) return v;
  if (t.id === 'float' && t.bits === 64) return makeVector(toFloat64(v));
  throw new TypeError(`concat: column '${column}' is ${String(v.type)} in one input, cannot become ${JSON.stringify(t)}`);
}

/** One partition's columns laid out as `names` (missing ones filled), index levels first. */
function layout(b: Batch, names: readonly string[], types: readonly TypeDesc[], indexTypes: readonly TypeDesc[]): Batch {
  const levels = indexColumnsOf(b.names);
  if (levels.length !== indexTypes.length) throw new Error(`concat: a partition has ${levels.length} index levels, expected ${indexTypes.length}`);
  const vectors = [
    ...levels.map((l, j) => cast(findColumn(b, l), indexTypes[j], 'the index')),
    ...names.map((n, j) => (b.names.includes(n) && !isIndexColumn(n) ? cast(findColumn(b, n), types[j], n) : missingVector(types[j], b.numRows))),
  ];
  return batchOf([...levels, ...names], vectors);
}

/** The rows of several partitions, in order, in the columns `names` (pandas' concat of rows, join outer or inner). */
export const stackParts = (parts: readonly Part[], names: readonly string[], types: readonly TypeDesc[], indexTypes: readonly TypeDesc[]): Part => {
  const batches = parts.map((p) => layout(decodePart(p), names, types, indexTypes));
  const first = batches[0];
  return encodeBatch(batchOf(first.names, first.names.map((_, j) => batches.map((x) => x.vectors[j]).reduce((a, v) => a.concat(v)))));
};

/**
 * Columns of partitions holding the same rows, side by side (concat along the columns of frames
 * without an index, partitioned alike); their lengths must agree, as Dask's `concat_and_check`.
 */
export const sideBySide = (parts: readonly Part[], names: readonly (readonly string[])[]): Part => {
  const batches = parts.map(decodePart);
  const lengths = batches.map((b) => b.numRows);
  if (new Set(lengths).size > 1) throw new Error(`concat: partitions of different lengths (${lengths.join(', ')}) cannot be put side by side; the inputs are not partitioned alike`);
  const levels = indexColumnsOf(batches[0].names);
  const out = [...levels];
  const vectors = levels.map((l) => findColumn(batches[0], l));
  batches.forEach((b, i) => {
    for (const n of names[i]) {
      out.push(n);
      vectors.push(findColumn(b, n));
    }
  });
  return encodeBatch(batchOf(out, vectors));
};

/** A small seeded generator (mulberry32): the same rows on any scheduler for the same seed. */
function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Python's round (halves to even), which pandas uses for `frac * len`. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** round(frac * rows) rows drawn at random (with or without replacement), in the order drawn, as pandas' sample. */
export const samplePart = (part: Part, seed: number, frac: number, replace: boolean): Part => {
  const b = decodePart(part);
  const rows = b.numRows;
  const n = roundHalfEven(frac * rows);
  const rand = generator(seed);
  const idx = new Int32Array(n);
  if (replace) {
    for (let i = 0; i < n; i++) idx[i] = Math.floor(rand() * rows);
  } else {
    // A partial Fisher-Yates shuffle: the first n of a random permutation.
    const perm = Int32Array.from({ length: rows }, (_, i) => i);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(rand() * (rows - i));
      [perm[i], perm[j]] = [perm[j], perm[i]];
      idx[i] = perm[i];
    }
  }
  return encodeBatch(batchOf(b.names, b.vectors.map((v) => takeRows(v, idx))));
};
