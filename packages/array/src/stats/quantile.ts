/**
 * percentile / quantile / median and their NaN-skipping versions, NumPy's default 'linear'
 * method. Along an axis, as Dask: that axis is rechunked to one block and each block's lines are
 * sorted. Over the whole array (Dask allows only 1-d percentile, approximately, and refuses
 * median without an axis): an exact distributed radix selection, three tree reductions over the
 * blocks (runtime/quantile.ts), so the result is NumPy's to the last bit for any chunking.
 */
import { checkOptions, lit, optional, ref, tokenize, treeReduce, type OptionSchema } from '@pdask/core';
import { ChunkedArray, fromBlocks } from '../array';
import { blockKey, type ChunksSpec } from '../chunks';
import type { DType } from '../dtype';
import { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import { NOT_YET } from '../options';
import { rechunk } from '../rechunk/rechunk';
import { reductionInfo } from '../reductions/reductions';
import type { QuantileSpec } from '../runtime/quantile';
import { reshape } from '../shape/shape';
import { eagerNumbers, oneAxis, operand, type StatOperand } from './common';

export interface QuantileOptions {
  /** The axis (default: over the whole array). */
  axis?: number | null;
  keepdims?: boolean;
  /** Only NumPy's default 'linear' is implemented. */
  method?: 'linear';
}

const SCHEMA: OptionSchema<QuantileOptions & { out?: unknown; overwriteInput?: unknown; interpolation?: unknown; internalMethod?: unknown }> = {
  axis: optional({ anyOf: ['integer', { oneOf: [null] }] }),
  keepdims: 'boolean',
  method: { oneOf: ['linear'] },
  out: NOT_YET,
  overwriteInput: { unsupported: 'pdask never overwrites its input' },
  interpolation: { unsupported: "deprecated in NumPy 1.22; pass method: 'linear'" },
  internalMethod: { unsupported: 'pdask computes exact quantiles (no tdigest)' },
};

export type Quantiles = number | readonly number[] | Float64Array | NDArray;
type Result = ChunkedArray<NDArray | number>;

function build(who: string, x0: StatOperand, q: Quantiles, scale: number, skipNaN: boolean, opts: QuantileOptions | undefined): Result {
  const o = checkOptions(who, opts, SCHEMA);
  const x = operand(x0, who);
  if (x.dtype === 'bool') throw new TypeError(`${who}: boolean arrays are not supported (NumPy: boolean subtract, the \`-\` operator, is not supported); cast with astype first`);
  const scalar = typeof q === 'number';
  const raw = scalar ? [q] : eagerNumbers(q as readonly number[], who, 'q');
  if (q instanceof NDArray && q.ndim > 1) throw new RangeError(`${who}: q must be a number or 1-d`);
  const qs = raw.map((v) => v / scale);
  if (qs.some((v) => !(v >= 0 && v <= 1))) throw new RangeError(scale === 100 ? `${who}: Percentiles must be in the range [0, 100]` : `${who}: Quantiles must be in the range [0, 1]`);
  const dtype: DType = x.dtype === 'float32' ? 'float32' : 'float64';
  const spec: QuantileSpec = { qs, skipNaN, qShape: scalar ? [] : [qs.length], dtype };
  const keepdims = o.keepdims ?? false;
  const tok = tokenize(x.name, qs, skipNaN, o.axis ?? null, keepdims, scalar);
  if (o.axis === undefined || o.axis === null) {
    if (x.size === 0) throw new RangeError(`${who}: the array is empty`);
    const full = wholeArray(`${who.replace('da.', '')}-${tok}`, x, spec);
    return (keepdims ? reshape(full, [...spec.qShape, ...x.shape.map(() => 1)]) : full) as Result;
  }
  const axis = oneAxis(o.axis, x.ndim, who);
  const xr = x.numblocks[axis] === 1 ? x : rechunk(x, x.chunks.map((c, d) => (d === axis ? x.shape[d] : [...c])) as ChunksSpec);
  const rest = x.chunks.map((c, d) => (d === axis ? (keepdims ? [1] : null) : [...c])).filter((c): c is number[] => c !== null);
  const chunks = [...(scalar ? [] : [[qs.length]]), ...rest];
  const shape = chunks.map((c) => c.reduce((a, b) => a + b, 0));
  const lead = scalar ? 0 : 1;
  return fromBlocks<NDArray | number>(who.replace('da.', ''), `${who.replace('da.', '')}-${tok}`, shape, chunks, dtype, (idx, key) => {
    const kept = idx.slice(lead);
    const inIdx = keepdims ? kept.map((b, d) => (d === axis ? 0 : b)) : [...kept.slice(0, axis), 0, ...kept.slice(axis)];
    return arrayOps.quantileAxis.task(key, lit(spec), lit(axis), lit(keepdims), ref(xr.key(inIdx)));
  }, [xr]);
}

/** The three tree reductions of the exact selection; one block holding qShape. */
function wholeArray(name: string, x: ChunkedArray<unknown>, spec: QuantileSpec): Result {
  const grid = x.numblocks;
  const info = reductionInfo(x);
  const split = 16;
  const level1 = treeReduce(
    {
      name: `${name}-radix1`,
      grid,
      splitEvery: split,
      partial: (index) => arrayOps.radixCount1.call(ref(x.key(index))),
      combine: (parts) => arrayOps.radixAdd.call(...parts),
      aggregate: (parts) => arrayOps.radixPlan1.call(lit(spec), ...parts),
      info,
    },
    [x.layer],
  );
  const plan1 = ref(level1.keys[0]);
  const level2 = treeReduce(
    {
      name: `${name}-radix2`,
      grid,
      splitEvery: split,
      partial: (index) => arrayOps.radixCount2.call(plan1, ref(x.key(index))),
      combine: (parts) => arrayOps.radixAdd.call(...parts),
      aggregate: (parts) => arrayOps.radixPlan2.call(plan1, ...parts),
      info,
    },
    [x.layer, level1.node],
  );
  const plan2 = ref(level2.keys[0]);
  const collect = treeReduce(
    {
      name,
      grid,
      splitEvery: split,
      partial: (index) => arrayOps.radixCollect.call(plan2, ref(x.key(index))),
      combine: (parts) => arrayOps.radixMerge.call(...parts),
      aggregate: (parts) => arrayOps.radixFinal.call(lit(spec), plan2, ...parts),
      outputKey: () => blockKey(name, spec.qShape.map(() => 0)),
      info,
    },
    [x.layer, level2.node],
  );
  return new ChunkedArray<NDArray | number>(name, spec.qShape, spec.qShape.map((s) => [s]), spec.dtype, { k: 'layer', node: collect.node });
}

/** NumPy's percentile (q in [0, 100]); with an axis, Dask's rechunk-and-sort; without, exact. */
export function percentile(x: StatOperand, q: Quantiles, opts?: QuantileOptions): Result {
  return build('da.percentile', x, q, 100, false, opts);
}
export function nanpercentile(x: StatOperand, q: Quantiles, opts?: QuantileOptions): Result {
  return build('da.nanpercentile', x, q, 100, true, opts);
}
/** NumPy's quantile (q in [0, 1]). */
export function quantile(x: StatOperand, q: Quantiles, opts?: QuantileOptions): Result {
  return build('da.quantile', x, q, 1, false, opts);
}
export function nanquantile(x: StatOperand, q: Quantiles, opts?: QuantileOptions): Result {
  return build('da.nanquantile', x, q, 1, true, opts);
}
export type MedianOptions = Omit<QuantileOptions, 'method'>;
export function median(x: StatOperand, opts?: MedianOptions): Result {
  return build('da.median', x, 0.5, 1, false, opts);
}
export function nanmedian(x: StatOperand, opts?: MedianOptions): Result {
  return build('da.nanmedian', x, 0.5, 1, true, opts);
}
