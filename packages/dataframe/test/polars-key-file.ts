/**
 * Test files of a string key with float columns x and y, written by polars (snappy) from the
 * formulas given, and the group means those formulas imply (nulls left out, as pandas' dropna).
 */
import pl from 'nodejs-polars';

export type KeyOf = (i: number) => string | null;
export type ValueOf = (i: number) => number;

/** Writes rows 0..n-1 of `key`, `x`, `y` to `file` in row groups of `rowGroupSize` rows. */
export async function writeKeyFile(file: string, n: number, key: KeyOf, x: ValueOf, y: ValueOf, rowGroupSize: number): Promise<void> {
  const ids = Array.from({ length: n }, (_, i) => i);
  const frame = pl.DataFrame({ key: pl.Series('key', ids.map(key), pl.Utf8), x: pl.Series('x', ids.map(x), pl.Float64), y: pl.Series('y', ids.map(y), pl.Float64) });
  await frame.lazy().sinkParquet(file, { compression: 'snappy', rowGroupSize }).collect();
}

/** The mean of y per non-null key over the rows `rows`. */
export function keyMeans(rows: readonly number[], key: KeyOf, y: ValueOf): Map<string, number> {
  const sums = new Map<string, [number, number]>();
  for (const i of rows) {
    const k = key(i);
    if (k === null) continue;
    const s = sums.get(k) ?? [0, 0];
    sums.set(k, [s[0] + y(i), s[1] + 1]);
  }
  return new Map([...sums].map(([k, [s, c]]) => [k, s / c]));
}
