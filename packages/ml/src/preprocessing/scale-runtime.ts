/**
 * StandardScaler's transform per row block: (x - mean) / scale in one loop over the block. The
 * elementwise form (subtract, divide) broadcasts the mean and scale vectors to the block's shape
 * first, which cost more than the arithmetic; the result is the same float64 operations.
 */
import { dims, values, type BlockValue } from '../runtime/block';
import type { OutBlock } from './runtime';

export interface ScaleSpec {
  /** Subtracted from each column, or null (withMean false). */
  readonly mean: Float64Array | null;
  /** Each column divided by it, or null (withStd false). */
  readonly scale: Float64Array | null;
}

export function scaleBlock(spec: ScaleSpec, b: BlockValue): OutBlock {
  const [n, d] = dims(b);
  const v = values(b);
  // float64 in, so the loops below read one array type (others are converted once).
  const x = v instanceof Float64Array ? v : Float64Array.from(v as ArrayLike<number>);
  const out = new Float64Array(n * d);
  const mean = spec.mean ?? new Float64Array(d);
  const scale = spec.scale;
  if (!spec.mean && scale) {
    for (let o = 0; o < n * d; o += d) for (let j = 0; j < d; j++) out[o + j] = x[o + j] / scale[j];
  } else if (scale) {
    for (let o = 0; o < n * d; o += d) for (let j = 0; j < d; j++) out[o + j] = (x[o + j] - mean[j]) / scale[j];
  } else {
    for (let o = 0; o < n * d; o += d) for (let j = 0; j < d; j++) out[o + j] = x[o + j] - mean[j];
  }
  return { values: out, shape: [n, d] };
}
