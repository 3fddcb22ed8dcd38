/**
 * The `.cat` accessor per partition: the categories a partition's dictionary holds (what Dask's
 * as_known gathers), recoding a partition to a known list of categories (pandas'
 * set_categories), and the codes into it.
 */
import type { Data, Vector } from 'apache-arrow';
import { categoryVector } from './cast-types';
import { withIndex } from './elementwise';
import { findColumn } from './frame';
import { decodePart, type Part } from './part';
import { numbersAs } from './results';
import type { TypeDesc } from './types';

/** The categories of the partition's dictionaries, in their order (each chunk's, first seen first). */
export const catCategories = (part: Part, column: string): string[] => {
  const v = findColumn(decodePart(part), column);
  const out = new Set<string>();
  for (const d of v.data as Data[]) {
    const dict = (d as unknown as { dictionary?: Vector }).dictionary;
    if (dict) for (const c of dict.toArray() as string[]) out.add(c);
  }
  return [...out];
};

/** Codes of the values in `categories` (-1: missing, or not a category, as set_categories). */
function codesOf(v: Vector, categories: readonly string[]): Int32Array {
  const at = new Map(categories.map((c, i) => [c, i]));
  return Int32Array.from({ length: v.length }, (_, i) => {
    const s = v.get(i) as string | null;
    return s === null ? -1 : (at.get(s) ?? -1);
  });
}

export const catRecode = (part: Part, column: string, categories: readonly string[], name: string): Part => {
  const b = decodePart(part);
  return withIndex(b, name, categoryVector(codesOf(findColumn(b, column), categories), categories));
};

/** pandas' codes: -1 for missing, of the smallest signed integer type that holds the count. */
export const catCodes = (part: Part, column: string, categories: readonly string[], name: string, type: TypeDesc): Part => {
  const b = decodePart(part);
  return withIndex(b, name, numbersAs(Float64Array.from(codesOf(findColumn(b, column), categories)), type));
};

/** Lists of categories as one, first seen first (Dask's unique() of the partitions' categories). */
export const catUnion = (lists: readonly (readonly string[])[]): string[] => [...new Set(lists.flat())];
