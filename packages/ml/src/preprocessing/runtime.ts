/**
 * What the preprocessing estimators run per row block on workers (operations of `@pdask/ml/ops`):
 * distinct values per column (encoders' fit), and the encodings, polynomial products and
 * quantile maps of their transforms. Each returns `{ values, shape }`, which @pdask/array's
 * `fromDelayedBlocks` takes as a block.
 */
import { dims, values, type BlockValue } from '../runtime/block';
import { interp, normCdf, normPpf } from './numpy-stats';

export interface OutBlock {
  values: Float64Array | Float32Array | Int32Array | Uint8Array;
  shape: [number, number];
}

/** The output dtypes the block operations can write. */
export type OutDtype = 'float64' | 'float32' | 'int32' | 'uint8';

function alloc(dtype: OutDtype, n: number): OutBlock['values'] {
  return dtype === 'float32' ? new Float32Array(n) : dtype === 'int32' ? new Int32Array(n) : dtype === 'uint8' ? new Uint8Array(n) : new Float64Array(n);
}

// ---- distinct values per column ----

/** Per column: the distinct non-NaN values (ascending) and whether NaN occurs. */
export interface Distinct {
  values: number[][];
  nan: boolean[];
}

export function distinctPartial(b: BlockValue): Distinct {
  const [n, d] = dims(b);
  const v = values(b);
  const sets = Array.from({ length: d }, () => new Set<number>());
  const nan = new Array<boolean>(d).fill(false);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const x = Number(v[i * d + j]);
      if (Number.isNaN(x)) nan[j] = true;
      else sets[j].add(x === 0 ? 0 : x);
    }
  }
  return { values: sets.map((s) => [...s].sort((a, c) => a - c)), nan };
}

export function distinctCombine(...parts: Distinct[]): Distinct {
  const d = parts[0].values.length;
  const values: number[][] = [];
  for (let j = 0; j < d; j++) {
    const s = new Set<number>();
    for (const p of parts) for (const x of p.values[j]) s.add(x);
    values.push([...s].sort((a, c) => a - c));
  }
  return { values, nan: Array.from({ length: d }, (_, j) => parts.some((p) => p.nan[j])) };
}

// ---- encodings ----

/** How one input column is written: encoded against its categories, or passed through. */
export interface EncodeColumn {
  /** 'pass': the value as it is (DummyEncoder's non-category columns). */
  mode: 'encode' | 'pass';
  name: string;
  /** The non-NaN categories, ascending (for string columns: 0..k-1, their codes). */
  cats: number[];
  /** Whether NaN (a missing value) is a category, placed after `cats`. */
  nan: boolean;
  /** One-hot: the category index whose column is dropped (-1: none). */
  drop: number;
  /** Ordinal: the code of a missing value when it is a category of its own (a missing string is None in scikit-learn, not NaN). */
  missingCode?: number;
}

export interface EncodeSpec {
  who: string;
  kind: 'ordinal' | 'onehot';
  columns: EncodeColumn[];
  /** Input column order of the output (DummyEncoder puts passed columns first). */
  order: number[];
  /** 'error': fail naming the column; 'ignore': zeros (one-hot); 'value': `unknownValue` (ordinal). */
  unknown: 'error' | 'ignore' | 'value';
  unknownValue: number;
  /** Ordinal: what a missing value becomes (scikit-learn's encoded_missing_value, NaN by default). */
  missingValue: number;
  /** One-hot: a missing value that is not a category gives zeros instead of an unknown-category error (DummyEncoder). */
  missingZeros: boolean;
  dtype: OutDtype;
}

function width(c: EncodeColumn, kind: EncodeSpec['kind']): number {
  if (c.mode === 'pass' || kind === 'ordinal') return 1;
  return c.cats.length + (c.nan ? 1 : 0) - (c.drop >= 0 ? 1 : 0);
}

/** Index of x among c's categories, -1 when unknown. */
function indexOf(c: EncodeColumn, x: number): number {
  if (Number.isNaN(x)) return c.nan ? c.cats.length : -1;
  const a = c.cats;
  let lo = 0;
  let hi = a.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] === x) return mid;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export function encodeBlock(spec: EncodeSpec, b: BlockValue): OutBlock {
  const [n, d] = dims(b);
  const v = values(b);
  const cols = spec.columns;
  if (cols.length !== d) throw new RangeError(`${spec.who}: a block has ${d} columns, expected ${cols.length}`);
  const offsets: number[] = [];
  let w = 0;
  for (const j of spec.order) {
    offsets[j] = w;
    w += width(cols[j], spec.kind);
  }
  const out = alloc(spec.dtype, n * w);
  const ordinal = spec.kind === 'ordinal';
  // Column by column, so the column's categories and rules stay in locals over the rows.
  for (let j = 0; j < d; j++) {
    const c = cols[j];
    const off = offsets[j];
    if (c.mode === 'pass') {
      for (let i = 0; i < n; i++) out[i * w + off] = Number(v[i * d + j]);
      continue;
    }
    const drop = c.drop;
    const missing = c.missingCode ?? spec.missingValue;
    let unknown: Set<number> | null = null;
    for (let i = 0; i < n; i++) {
      const x = Number(v[i * d + j]);
      const k = indexOf(c, x);
      const at = i * w + off;
      if (ordinal) {
        if (x !== x && c.nan) out[at] = missing;
        else if (k >= 0) out[at] = k;
        else if (spec.unknown === 'value') out[at] = spec.unknownValue;
        else (unknown ??= new Set()).add(x);
      } else if (k < 0) {
        if (spec.unknown === 'error' && !(spec.missingZeros && x !== x)) (unknown ??= new Set()).add(x);
      } else if (k !== drop) out[at + (drop >= 0 && k > drop ? k - 1 : k)] = 1;
    }
    if (unknown) {
      const shown = [...unknown].slice(0, 10).map((x) => (Number.isNaN(x) ? 'NaN (a missing value)' : x === -1 && c.cats.every((q, t) => q === t) ? 'a value not seen in fit' : String(x)));
      throw new RangeError(`${spec.who}: found unknown categories [${[...new Set(shown)].join(', ')}] in column '${c.name}' during transform (handleUnknown: 'error')`);
    }
  }
  return { values: out, shape: [n, w] };
}

// ---- polynomial features ----

/** Every output column's powers of the inputs (outputs x inputs, row-major). */
export function polyBlock(powers: number[][], b: BlockValue): OutBlock {
  const [n, d] = dims(b);
  const v = values(b);
  const w = powers.length;
  const out = new Float64Array(n * w);
  // Each output column as the list of input columns it multiplies (a power repeats its column).
  const factors = powers.map((p) => p.flatMap((e, j) => Array.from({ length: e }, () => j)));
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < w; k++) {
      let prod = 1;
      for (const j of factors[k]) prod *= Number(v[i * d + j]);
      out[i * w + k] = prod;
    }
  }
  return { values: out, shape: [n, w] };
}

// ---- quantile transform (scikit-learn's _transform_col, column by column) ----

const BOUNDS = 1e-7;

export interface QuantileSpec {
  /** quantiles per column (columns x nQuantiles, row-major by column). */
  quantiles: number[][];
  references: number[];
  normal: boolean;
  inverse: boolean;
}

export function quantileBlock(spec: QuantileSpec, b: BlockValue): OutBlock {
  const [n, d] = dims(b);
  const v = values(b);
  const out = new Float64Array(n * d);
  const refs = spec.references;
  const negRevRefs = refs.map((r) => -r).reverse();
  const clipMin = normPpf(BOUNDS - Number.EPSILON);
  const clipMax = normPpf(1 - (BOUNDS - Number.EPSILON));
  for (let j = 0; j < d; j++) {
    const q = spec.quantiles[j];
    const negRevQ = q.map((x) => -x).reverse();
    const [lx, ux, ly, uy] = spec.inverse ? [0, 1, q[0], q[q.length - 1]] : [q[0], q[q.length - 1], 0, 1];
    for (let i = 0; i < n; i++) {
      let x = Number(v[i * d + j]);
      if (spec.inverse && spec.normal) x = normCdf(x);
      const lower = spec.normal ? x - BOUNDS < lx : x === lx;
      const upper = spec.normal ? x + BOUNDS > ux : x === ux;
      let y = x;
      if (!Number.isNaN(x)) y = spec.inverse ? interp(x, refs, q) : 0.5 * (interp(x, q, refs) - interp(-x, negRevQ, negRevRefs));
      if (upper) y = uy;
      if (lower) y = ly;
      if (!spec.inverse && spec.normal) {
        y = normPpf(y);
        if (y < clipMin) y = clipMin;
        else if (y > clipMax) y = clipMax;
      }
      out[i * d + j] = y;
    }
  }
  return { values: out, shape: [n, d] };
}

// ---- ordinal codes back to numeric categories ----

export interface DecodeSpec {
  who: string;
  columns: { name: string; cats: number[]; nan: boolean }[];
  /** The code of a missing value (NaN by default), and of an unknown value when one was set: both decode to NaN. */
  missingValue: number;
  unknownValue: number;
}

export function decodeBlock(spec: DecodeSpec, b: BlockValue): OutBlock {
  const [n, d] = dims(b);
  const v = values(b);
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const c = spec.columns[j];
      const k = Number(v[i * d + j]);
      let r: number;
      if (Number.isNaN(k) || k === spec.missingValue || k === spec.unknownValue) r = Number.NaN;
      else if (Number.isInteger(k) && k >= 0 && k < c.cats.length) r = c.cats[k];
      else if (c.nan && k === c.cats.length) r = Number.NaN;
      else throw new RangeError(`${spec.who}: ${k} is not a code of column '${c.name}' (0..${c.cats.length + (c.nan ? 1 : 0) - 1})`);
      out[i * d + j] = r;
    }
  }
  return { values: out, shape: [n, d] };
}
