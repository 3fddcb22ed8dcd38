/**
 * The binomial log-loss and gradient at several coefficient vectors over the same rows in one pass
 * (kernels/assembly/glm-many.ts): what a search's candidates evaluate together on every L-BFGS
 * step. Each candidate gets exactly what it gets when evaluated alone here (k = 1), whatever the
 * other candidates and however the rows are split into blocks: blocks are whole tiles of the kernel.
 * A function of a `Kernels` instance rather than a method, so that bundles that do not use it
 * leave it out (the browser bundle's size budget).
 */
import { checkGlmShape, GlmRowError } from './glm.js';
import type { Kernels } from './kernels.js';
import { checkOptionKeys, optionKeys } from './options.js';
import { forRowBlocks, placeRows, rowsPerBlock } from './rows.js';
import { resolve, type Input, type Runtime } from './runtime.js';
import type { RealArray } from './types.js';

export interface GlmBinomialManyOptions {
  /** Columns of X (X is rows x features, row-major). */
  features: number;
  /** X has an implicit column of ones last: each coefficient vector holds features + 1 values, the intercept last. Default false. */
  intercept?: boolean;
  /** The label values, sorted ascending: a label's class code is its index here. */
  classes: Float64Array;
  /** The class code whose rows count as 1 (the others as 0). Default 1. */
  positive?: number;
}

export const GLM_BINOMIAL_MANY_KEYS = optionKeys<GlmBinomialManyOptions>({ features: true, intercept: true, classes: true, positive: true });

export interface GlmManyGradient {
  /** Σ log-loss over the rows, per coefficient vector. */
  readonly loss: number;
  /** features (+ 1 for the intercept), per coefficient vector. */
  readonly grad: Float64Array;
}

/**
 * The binomial Σ log-loss and gradient of `y` over the rows of `x` at each of several coefficient
 * vectors, with the kernels of `kernels`. A label outside `classes` or a NaN score throws `GlmRowError`.
 */
export function glmBinomialMany(kernels: Kernels, xs: Input<RealArray>, ys: Input<RealArray>, coefs: readonly Float64Array[], options: GlmBinomialManyOptions): GlmManyGradient[] {
  checkOptionKeys('glmBinomialMany', options, GLM_BINOMIAL_MANY_KEYS);
  return binomialMany(kernels.rt, resolve<RealArray>(xs), resolve<RealArray>(ys), coefs, options);
}

/** glmBinomialMany on a runtime (also the binomial case of `glmGradient`). */
export function binomialMany(rt: Runtime, x: RealArray, y: RealArray, coefs: readonly Float64Array[], options: GlmBinomialManyOptions): GlmManyGradient[] {
  const { d, n, nc, positive } = checkGlmShape('glmBinomialMany', x, y, options, true);
  const classes = options.classes;
  const k = coefs.length;
  if (k < 1) throw new RangeError('glmBinomialMany: no coefficient vectors');
  const p = d + (options.intercept ? 1 : 0);
  coefs.forEach((c, i) => {
    if (c.length !== p) throw new RangeError(`glmBinomialMany: coefficient vector ${i} has ${c.length} values, expected ${p}`);
  });
  const kk = k + (k & 1);
  const placed = placeRows(rt, [{ data: x, width: d }, { data: y, width: 1 }]);
  const tile = rt.x.glm_many_tile();
  // Whole tiles per block, so that a candidate's tiles (and sums) do not depend on the block size.
  const rows = Math.max(tile, Math.floor(rowsPerBlock(rt, placed) / tile) * tile);
  const work = rt.mem.alloc((nc + 3 * p * kk + kk + rt.x.glm_many_work(k)) * 8);
  try {
    const mem = rt.mem;
    const pc = work;
    const pt = pc + nc * 8;
    const pg = pt + p * kk * 8;
    const pl = pg + p * kk * 8;
    const pz = pl + kk * 8;
    mem.f64(pc, nc).set(classes);
    const bt = mem.f64(pt, p * kk);
    bt.fill(0);
    for (let c = 0; c < k; c++) for (let j = 0; j < p; j++) bt[j * kk + c] = coefs[c][j];
    mem.f64(pg, p * kk).fill(0);
    mem.f64(pl, kk).fill(0);
    forRowBlocks(rt, placed, n, rows, (ptrs, m, start) => {
      const bad = rt.x.glm_binomial_many_f64(ptrs[0], ptrs[1], m, d, options.intercept ? 1 : 0, pc, nc, positive, k, pt, pg, pl, pz);
      if (bad >= 0) throw new GlmRowError(start + bad);
    });
    const g = mem.f64(pg, p * kk);
    const l = mem.f64(pl, kk);
    return coefs.map((_, c) => ({ loss: l[c], grad: Float64Array.from({ length: p }, (_, j) => g[j * kk + c]) }));
  } finally {
    rt.mem.release(work);
  }
}
