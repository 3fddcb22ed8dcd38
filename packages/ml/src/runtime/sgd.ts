/**
 * Stochastic gradient descent over one block's rows, scikit-learn's plain SGD step by step (its
 * learning-rate schedules, L2 shrinkage by a weight scale, the cumulative L1 penalty of Tsuruoka
 * et al.), carrying the model from block to block: the estimators run one task per block, in
 * order, each taking the state the previous one returned (Dask-ML's Incremental does the same
 * with partial_fit). One state per binary problem of one-vs-rest.
 */
import { dims, values, type BlockValue } from './block';

export type SgdLoss = 'hinge' | 'logLoss' | 'squaredError' | 'modifiedHuber' | 'squaredHinge' | 'perceptron';
export type SgdSchedule = 'optimal' | 'invscaling' | 'constant';

export interface SgdConfig {
  readonly loss: SgdLoss;
  readonly schedule: SgdSchedule;
  readonly alpha: number;
  readonly l1Ratio: number;
  /** 0 none, 1 l2, 2 l1, 3 elasticnet. */
  readonly penalty: number;
  readonly eta0: number;
  readonly powerT: number;
  readonly optimalInit: number;
  readonly fitIntercept: boolean;
  /** Classification: the sorted label values; regression: empty. */
  readonly classes: readonly number[];
  /** Weight per class code (empty: 1): scikit-learn weighs a problem's positive samples by their class's weight, and its negatives by 1 (one-vs-rest) or by the negative class's weight (two classes). */
  readonly classWeight: readonly number[];
  /** Whether X's last column is the sample weight. */
  readonly weighted: boolean;
}

export interface SgdState {
  /** Per problem (one-vs-rest class, or one): coefficients (already scaled), intercept, cumulative L1 terms. */
  readonly w: Float64Array[];
  readonly b: Float64Array;
  readonly q: Float64Array[];
  /** Accumulated L1 penalty u (one per problem). */
  readonly u: Float64Array;
  /** The step counter (scikit-learn's t_), shared by the problems of one pass. */
  t: number;
  /** Σ loss per problem over the rows seen in this epoch. */
  readonly sumLoss: Float64Array;
  /** Binary classification: the class code that is +1 for each problem. */
  readonly positive: readonly number[];
}

export function dloss(loss: SgdLoss, p: number, y: number): number {
  switch (loss) {
    case 'hinge':
      return p * y <= 1 ? -y : 0;
    case 'perceptron':
      return p * y <= 0 ? -y : 0;
    case 'squaredHinge': {
      const z = 1 - p * y;
      return z > 0 ? -2 * y * z : 0;
    }
    case 'modifiedHuber': {
      const z = p * y;
      return z >= 1 ? 0 : z >= -1 ? 2 * (1 - z) * -y : -4 * y;
    }
    case 'logLoss': {
      const z = p * y;
      if (z > 18) return (Math.exp(-z) * -y);
      if (z < -18) return -y;
      return -y / (Math.exp(z) + 1);
    }
    default:
      return p - y;
  }
}

export function lossOf(loss: SgdLoss, p: number, y: number): number {
  switch (loss) {
    case 'hinge':
      return Math.max(0, 1 - p * y);
    case 'perceptron':
      return Math.max(0, -p * y);
    case 'squaredHinge':
      return Math.max(0, 1 - p * y) ** 2;
    case 'modifiedHuber': {
      const z = p * y;
      return z >= 1 ? 0 : z >= -1 ? (1 - z) ** 2 : -4 * z;
    }
    case 'logLoss': {
      const z = p * y;
      if (z > 18) return Math.exp(-z);
      if (z < -18) return -z;
      return Math.log1p(Math.exp(-z));
    }
    default:
      return 0.5 * (p - y) ** 2;
  }
}

function codeOf(classes: readonly number[], v: number): number {
  const i = classes.indexOf(v);
  if (i < 0) throw new RangeError(`y holds the label ${v}, which is not among the classes`);
  return i;
}

/** Runs the rows of one block in `order` (positions within the block; all rows in order when empty). */
export function sgdBlock(cfg: SgdConfig, state: SgdState, order: Int32Array, xb: BlockValue, yb: BlockValue): SgdState {
  const [n, cols] = dims(xb);
  const d = cfg.weighted ? cols - 1 : cols;
  if (yb.shape[0] !== n) throw new RangeError(`a block of X has ${n} rows but its block of y has ${yb.shape[0]}`);
  const x = values(xb);
  const y = values(yb);
  const P = state.w.length;
  const w = state.w.map((v) => v.slice());
  const q = state.q.map((v) => v.slice());
  const b = state.b.slice();
  const u = state.u.slice();
  const sumLoss = state.sumLoss.slice();
  const scale = new Float64Array(P).fill(1);
  const t0 = state.t;
  for (let k = 0; k < P; k++) {
    let t = t0;
    const wk = w[k];
    for (let r = 0; r < n; r++) {
      const i = order.length ? order[r] : r;
      const row = i * cols;
      let sw = cfg.weighted ? x[row + d] : 1;
      const raw = y[i];
      if (Number.isNaN(raw)) throw new RangeError('y holds NaN');
      let target = raw;
      if (cfg.classes.length) {
        const code = codeOf(cfg.classes, raw);
        const pos = state.positive[k];
        target = code === pos ? 1 : -1;
        if (cfg.classWeight.length) sw *= target > 0 ? cfg.classWeight[pos] : P === 1 ? cfg.classWeight[1 - pos] : 1;
      }
      let p = 0;
      for (let j = 0; j < d; j++) p += wk[j] * x[row + j];
      p = p * scale[k] + b[k];
      if (Number.isNaN(p)) throw new RangeError('X holds NaN (or the coefficients overflowed: lower eta0 or alpha)');
      const eta = cfg.schedule === 'optimal' ? 1 / (cfg.alpha * (cfg.optimalInit + t - 1)) : cfg.schedule === 'invscaling' ? cfg.eta0 / Math.pow(t, cfg.powerT) : cfg.eta0;
      sumLoss[k] += lossOf(cfg.loss, p, target);
      const g = Math.min(1e12, Math.max(-1e12, dloss(cfg.loss, p, target)));
      const update = -eta * g * sw;
      if (cfg.penalty === 1 || cfg.penalty === 3) {
        scale[k] *= Math.max(0, 1 - (1 - cfg.l1Ratio) * eta * cfg.alpha);
        // Folded in before the update divides by it, as scikit-learn's WeightVector.scale: with eta · alpha = 1
        // (the 'optimal' schedule's first step when alpha is 1) the scale is 0.
        if (scale[k] < 1e-9) {
          for (let j = 0; j < d; j++) wk[j] *= scale[k];
          scale[k] = 1;
        }
      }
      if (update !== 0) {
        const s = update / scale[k];
        for (let j = 0; j < d; j++) wk[j] += s * x[row + j];
        if (cfg.fitIntercept) b[k] += update;
      }
      if (cfg.penalty === 2 || cfg.penalty === 3) {
        u[k] += cfg.l1Ratio * eta * cfg.alpha;
        const qk = q[k];
        const sc = scale[k];
        for (let j = 0; j < d; j++) {
          const z = wk[j];
          if (sc * z > 0) wk[j] = Math.max(0, wk[j] - (u[k] + qk[j]) / sc);
          else if (sc * z < 0) wk[j] = Math.min(0, wk[j] + (u[k] - qk[j]) / sc);
          qk[j] += sc * (wk[j] - z);
        }
      }
      t += 1;
    }
    if (scale[k] !== 1) for (let j = 0; j < d; j++) wk[j] *= scale[k];
  }
  return { w, b, q, u, t: t0 + n, sumLoss, positive: state.positive };
}

export function keepState(s: SgdState): SgdState {
  return s;
}
