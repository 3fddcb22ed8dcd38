/** Partition-wise frame operations: column selection, assignment, boolean filtering, head. */
import type { Vector } from 'apache-arrow';
import { batchOf, decodePart, encodeBatch, type Batch, type Part } from './part';
import { indexColumnsOf, isIndexColumn } from './spec';
import { maskValues, takeMask } from './values';
import { numbersAs } from './results';
import type { TypeDesc } from './types';

/** The named column, or an error naming it and the known ones. */
export function findColumn(b: Batch, name: string): Vector {
  const i = b.names.indexOf(name);
  if (i < 0) throw new Error(`column '${name}' not found; known columns: ${b.names.filter((n) => !isIndexColumn(n)).map((n) => `'${n}'`).join(', ')}`);
  return b.vectors[i];
}

/** Keeps the index columns (if any) and `names`, in that order. */
export function pick(b: Batch, names: readonly string[]): Batch {
  const keep = [...indexColumnsOf(b.names), ...names];
  return batchOf(keep, keep.map((n) => findColumn(b, n)));
}

export const selectColumns = (part: Part, names: readonly string[]): Part => encodeBatch(pick(decodePart(part), names));

/** A value given to `assign`: another partition's column, or a scalar repeated. */
export type AssignValue = { t: 'column'; part: Part; column: string } | { t: 'scalar'; value: number; type: TypeDesc };

export const assignColumns = (part: Part, names: readonly string[], values: readonly AssignValue[]): Part => {
  const b = decodePart(part);
  const outNames = [...b.names];
  const outVectors = [...b.vectors];
  names.forEach((name, j) => {
    const v = values[j];
    let vec: Vector;
    if (v.t === 'column') {
      vec = findColumn(decodePart(v.part), v.column);
      if (vec.length !== b.numRows) throw new RangeError(`assign: column '${name}' has ${vec.length} rows in this partition, the frame ${b.numRows}: the two are not partitioned alike`);
    } else {
      vec = numbersAs(new Float64Array(b.numRows).fill(v.value), v.type);
    }
    const at = outNames.indexOf(name);
    if (at >= 0) outVectors[at] = vec;
    else {
      outNames.push(name);
      outVectors.push(vec);
    }
  });
  return encodeBatch(batchOf(outNames, outVectors));
};

export const filterRows = (part: Part, maskPart: Part, maskColumn: string): Part => {
  const b = decodePart(part);
  const mv = findColumn(decodePart(maskPart), maskColumn);
  if (mv.length !== b.numRows) throw new RangeError(`filter: the mask has ${mv.length} rows in this partition, the frame ${b.numRows}: they are not partitioned alike`);
  const mask = maskValues(mv, maskColumn);
  let count = 0;
  for (let i = 0; i < mask.length; i++) count += mask[i];
  return encodeBatch(batchOf(b.names, b.vectors.map((v) => takeMask(v, mask, count))));
};

export const headRows = (parts: readonly Part[], n: number): Part => {
  const out: Batch[] = [];
  let left = n;
  for (const p of parts) {
    if (left <= 0) break;
    const b = decodePart(p);
    const take = Math.min(left, b.numRows);
    out.push(batchOf(b.names, b.vectors.map((v) => v.slice(0, take))));
    left -= take;
  }
  const names = out[0]?.names ?? decodePart(parts[0]).names;
  const vectors = names.map((_, i) => out.map((b) => b.vectors[i]).reduce((a, v) => a.concat(v)));
  return encodeBatch(batchOf(names, vectors));
};

/** Number of rows of a partition (for `len`). */
export const partLength = (part: Part): number => part.numRows;
export const sumNumbers = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** A partition given as data (the source tasks of fromArrow/fromColumns). */
export const passPart = (part: Part): Part => part;
