/**
 * Known categories of frame columns, by frame name: set by `categorize` (Dask's), read by
 * getDummies and pivotTable, which need the output's columns before anything runs. The frame's
 * meta has no room for them (as the series' own, kept by `cat.asKnown`).
 */
const KNOWN = new Map<string, Readonly<Record<string, readonly string[]>>>();

export function knownCategories(frameName: string, column: string): readonly string[] | undefined {
  return KNOWN.get(frameName)?.[column];
}

export function setKnownCategories(frameName: string, cats: Readonly<Record<string, readonly string[]>>): void {
  KNOWN.set(frameName, cats);
}
