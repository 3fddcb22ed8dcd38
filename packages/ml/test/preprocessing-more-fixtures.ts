/** The scikit-learn 1.2 / pandas 1.5 reference values of fixtures/make_preprocessing_more.py, and the test data built from them. */
import { readFileSync } from 'node:fs';
import * as da from '@pdask/array';
import * as dd from '@pdask/dataframe';

type M = (number | null)[][];
type V = (number | null)[];
type Cats = (number | string | boolean | null)[][];

export interface MoreFixtures {
  versions: { sklearn: string; numpy: string; pandas: string };
  encoders: {
    X: M; Xnan: M; Xtest: M; given: number[][];
    onehot: { categories: Cats; names: string[]; transform: M; namesInt: string[]; namesCols: string[] };
    onehotNan: { categories: Cats; names: string[]; transform: M };
    onehotIgnore: { test: M };
    onehotFirst: { names: string[]; transform: M };
    onehotIfBinary: { X: M; names: string[]; transform: M };
    onehotGiven: { names: string[]; transform: M };
    ordinal: { categories: Cats; transform: M; inverse: M };
    ordinalUnknown: { test: M };
  };
  frame: {
    city: (string | null)[]; size: (string | null)[]; n: number[]; v: V; flag: boolean[];
    onehot: { categories: Cats; names: string[]; transform: M };
    ordinal: { categories: Cats; names: string[]; transform: M };
    label: { classes: string[]; y: string[]; transform: number[] };
    categorizer: { city: string[]; size: string[] };
    dummies: { columns: string[]; values: M };
    dummiesFirst: { columns: string[]; values: M };
  };
  poly: { X: M; namesCols: string[] } & Record<'d2' | 'd3interaction' | 'd2noBias' | 'd23' | 'd0', { names: string[]; transform: M; powers: number[][] }>;
  robust: { X: M; Xnan: M } & Record<'default' | 'q1090' | 'nan', { center: V; scale: V; transform: M }> & { noCenterUnitVar: { scale: V; transform: M } };
  quantile: { X: M; Xnan: M; Xtest: M } & Record<'u100' | 'n100' | 'u1000' | 'n50nan', { quantiles: M; references: V; transform: M; inverse: M; test?: M }>;
  imputer: { X: M } & Record<'mean' | 'median' | 'most_frequent' | 'constant' | 'meanKeep', { statistics: V; names: string[]; transform: M }> & { minusOne: { X: M; statistics: V; transform: M } };
}

export const mfx = JSON.parse(readFileSync(new URL('./fixtures/preprocessing_more.json', import.meta.url), 'utf8')) as MoreFixtures;

/** JSON null (the script's NaN) back to NaN. */
export const num = (v: V): number[] => v.map((x) => (x === null ? Number.NaN : x));
export const flatNum = (m: M): number[] => num(m.flat());

/** A chunked float64 matrix of the rows, in row blocks of `rows` (or the given uneven sizes). */
export function matrix(m: M, rows: number | number[], dtype: 'float64' | 'int32' = 'float64'): da.ChunkedArray {
  const n = m.length;
  const d = m[0].length;
  const data = dtype === 'int32' ? Int32Array.from(flatNum(m)) : Float64Array.from(flatNum(m));
  return da.fromArray(data, { shape: [n, d], chunks: [rows as number, -1] });
}

/** Row chunkings: uneven blocks, one-row blocks, a single block. */
export const ROWS: { name: string; rows: (n: number) => number | number[] }[] = [
  { name: 'uneven blocks', rows: (n) => [1, Math.floor(n / 3), n - 1 - Math.floor(n / 3)] },
  { name: 'one-row blocks', rows: () => 1 },
  { name: 'a single block', rows: () => -1 },
];

/** Same values (NaN equal to NaN), each within rel · max(1, |expected|). */
export function expectNear(actual: ArrayLike<number>, expected: ArrayLike<number>, rel: number, what: string): void {
  if (actual.length !== expected.length) throw new Error(`${what}: length ${actual.length}, expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = Number(actual[i]);
    const e = Number(expected[i]);
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (!(Math.abs(a - e) <= rel * Math.max(1, Math.abs(e)))) throw new Error(`${what}[${i}]: got ${a}, expected ${e}`);
  }
}

export async function values(x: da.ChunkedArray<unknown> | Promise<da.ChunkedArray<unknown>>, opts = {}): Promise<number[]> {
  const r = (await (await x).compute(opts)) as da.NDArray;
  return Array.from(r.data as ArrayLike<number>, Number);
}

/** The mixed frame of the fixture: strings with a missing value, a category, int32, float64 with NaN, bool. */
export function mixedFrame(npartitions: number): dd.DataFrame {
  const F = mfx.frame;
  const df = dd.fromColumns({ city: F.city, size: F.size, n: F.n, v: num(F.v), flag: F.flag }, { npartitions });
  return df.assign({ size: df.col('size').astype('category') });
}
