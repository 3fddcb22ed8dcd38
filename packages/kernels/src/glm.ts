/**
 * The per-block loss and gradient of binomial and multinomial logistic regression
 * (kernels/assembly/glm.ts): what gradient-based solvers (L-BFGS) evaluate on every pass.
 */
import { binomialMany } from './glm-many.js';
import { optionKeys } from './options.js';
import { forRowBlocks, placeRows, rowsPerBlock } from './rows.js';
import type { Runtime } from './runtime.js';
import type { RealArray } from './types.js';

export interface GlmGradientOptions {
  /** Columns of X (X is rows x features, row-major). */
  features: number;
  /** X has an implicit column of ones last: each coefficient row holds features + 1 values, the intercept last. Default false. */
  intercept?: boolean;
  /** The label values, sorted ascending: a label's class code is its index here. */
  classes: Float64Array;
  /** Multinomial (one coefficient row per class) or binomial (one row; default). */
  multinomial?: boolean;
  /** Binomial: the class code whose rows count as 1 (the others as 0). Default 1. */
  positive?: number;
}

export const GLM_GRADIENT_KEYS = optionKeys<GlmGradientOptions>({ features: true, intercept: true, classes: true, multinomial: true, positive: true });

export interface GlmGradient {
  /** Σ log-loss over the rows. */
  readonly loss: number;
  /** Coefficient rows x (features + intercept), row-major. */
  readonly grad: Float64Array;
}

/** A row the kernel could not use: its label is not among the classes, or its score is NaN (NaN in X). `row` counts from the block's first row. */
export class GlmRowError extends RangeError {
  constructor(readonly row: number) {
    super(`glmGradient: row ${row} has a label outside the classes or a NaN score (NaN in X)`);
    this.name = 'GlmRowError';
  }
}

/** The checks both GLM kernels make of X, y and the classes: features d, n rows, nc classes and the positive class code. */
export function checkGlmShape(fn: string, x: RealArray, y: RealArray, options: { features: number; classes: ArrayLike<number>; positive?: number }, binomial: boolean): { d: number; n: number; nc: number; positive: number } {
  const d = options.features;
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`${fn}: features must be a positive integer, got ${d}`);
  if (x.length % d !== 0) throw new RangeError(`${fn}: X has ${x.length} values, not a multiple of ${d} features`);
  const n = x.length / d;
  if (y.length !== n) throw new RangeError(`${fn}: X has ${n} rows but y has ${y.length} values`);
  const nc = options.classes.length;
  if (nc < 1) throw new RangeError(`${fn}: classes is empty`);
  const positive = options.positive ?? 1;
  if (binomial && !(Number.isInteger(positive) && positive >= 0 && positive < nc)) throw new RangeError(`${fn}: positive must be a class code in [0, ${nc}), got ${positive}`);
  return { d, n, nc, positive };
}

export function glmGradient(rt: Runtime, x: RealArray, y: RealArray, coef: Float64Array, options: GlmGradientOptions): GlmGradient {
  const multinomial = options.multinomial ?? false;
  const { d, n, nc, positive } = checkGlmShape('glmGradient', x, y, options, !multinomial);
  const classes = options.classes;
  const p = d + (options.intercept ? 1 : 0);
  const k = multinomial ? nc : 1;
  if (coef.length !== k * p) throw new RangeError(`glmGradient: coef has ${coef.length} values, expected ${k * p}`);
  // The binomial case runs the many-vector kernel with one vector (its link in SIMD lanes).
  if (!multinomial) return binomialMany(rt, x, y, [coef], { features: d, intercept: options.intercept, classes, positive })[0];
  const placed = placeRows(rt, [{ data: x, width: d }, { data: y, width: 1 }]);
  const zWork = rt.x.glm_work(k);
  const work = rt.mem.alloc((nc + 2 * k * p + zWork + 1) * 8);
  try {
    const mem = rt.mem;
    const pc = work;
    const pb = pc + nc * 8;
    const pg = pb + k * p * 8;
    const pz = pg + k * p * 8;
    const st = pz + zWork * 8;
    mem.f64(pc, nc).set(classes);
    mem.f64(pb, k * p).set(coef);
    mem.f64(pg, k * p).fill(0);
    mem.f64(st, 1)[0] = 0;
    forRowBlocks(rt, placed, n, rowsPerBlock(rt, placed), (ptrs, rows, start) => {
      const bad = rt.x.glm_grad_f64(ptrs[0], ptrs[1], rows, d, options.intercept ? 1 : 0, multinomial ? 1 : 0, pc, nc, positive, pb, pg, pz, st);
      if (bad >= 0) throw new GlmRowError(start + bad);
    });
    return { loss: mem.f64(st, 1)[0], grad: mem.f64(pg, k * p).slice() };
  } finally {
    rt.mem.release(work);
  }
}
