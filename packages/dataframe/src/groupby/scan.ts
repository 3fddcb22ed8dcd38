/**
 * The lazy side of scans within groups (ops/group-scan.ts): a chain of one step per partition,
 * each reading its partition and the carry of the step before it (after it, for a negative shift).
 * The result keeps the frame's partitions, index and divisions.
 */
import { checkOptions, fnArg, layerNode, lit, ref, type OpRef, type TaskNode } from '@pdask/core';
import type { GroupBy } from '../groupby';
import { FrameLayer, opName, partitionKey } from '../graph';
import { dtypeName, type TypeDesc } from '../ops/types';
import { dataframeOps } from '../ops/index';
import type { ScanOp, ScanSpec } from '../ops/group-scan';
import type { WindowAgg, WindowSpec } from '../ops/window';
import { NOT_YET, refusing } from '../options';
import { Series } from '../series';
import { fnOp } from '../map-partitions';

const F64: TypeDesc = { id: 'float', bits: 64 };
const I64: TypeDesc = { id: 'int', bits: 64, signed: true };

const numeric = (t: TypeDesc): boolean => t.id === 'float' || t.id === 'int' || t.id === 'bool';

/** The result type of a scan of a column of type t, or an error naming the column. */
export function scanType(op: ScanOp, t: TypeDesc | null, column: string | null, method: string): TypeDesc {
  if (op === 'cumcount') return I64;
  const refuse = (): never => {
    throw new TypeError(`${method}: column '${column}' has dtype ${dtypeName(t!)}; ${op} needs ${op === 'cummin' || op === 'cummax' ? 'numbers or datetimes' : 'numbers'}`);
  };
  switch (op) {
    case 'cumsum':
    case 'cumprod':
      if (!numeric(t!)) refuse();
      return t!.id === 'float' ? F64 : I64;
    case 'cummin':
    case 'cummax':
      if (!numeric(t!) && t!.id !== 'timestamp' && t!.id !== 'duration') refuse();
      return t!.id === 'bool' ? I64 : t!;
    case 'shift':
      // pandas fills the first rows with NaN, so integers become float64.
      return t!.id === 'int' || t!.id === 'float' ? F64 : t!.id === 'bool' ? { id: 'bool', nullable: true } : t!;
    case 'rolling':
      if (!numeric(t!)) refuse();
      return F64;
  }
}

export interface ScanRequest {
  method: string;
  op: ScanOp;
  column: string | null;
  /** shift: periods; rolling: the window. */
  n: number;
  window?: WindowSpec;
  fn?: OpRef;
  /** The output series' name (pandas' name: the column's, none for cumcount). */
  label: string | null;
}

export function scanSeries(g: GroupBy, q: ScanRequest): Series {
  const frame = g.frame;
  const t = q.column === null ? null : frame.typeOf(q.column);
  const out = q.column ?? 'cumcount';
  const spec: ScanSpec = { by: [...g.by], dropna: g.dropna, op: q.op, column: q.column, out, outType: scanType(q.op, t, q.column, q.method), n: q.n, ...(q.window ? { window: q.window } : {}) };
  const name = opName(`groupby-${q.op}`, frame.name, spec, q.fn ?? null);
  const n = frame.npartitions;
  const backward = q.op === 'shift' && q.n < 0;
  const ops = dataframeOps;
  const layer = new FrameLayer(name, `groupby-${q.op}`, () => {
    const tasks: TaskNode[] = [];
    for (let r = 0; r < n; r++) {
      const i = backward ? n - 1 - r : r;
      const prev = r === 0 ? null : `${name}-state-${backward ? i + 1 : i - 1}`;
      const step = `${name}-step-${i}`;
      tasks.push(ops.groupScanStep.task(step, ref(partitionKey(frame.name, i)), prev === null ? lit(null) : ref(prev), lit(spec), q.fn ? fnArg(q.fn) : lit(null)));
      tasks.push(ops.scanStateOf.task(`${name}-state-${i}`, ref(step)));
      tasks.push(ops.scanPartOf.task(partitionKey(name, i), ref(step)));
    }
    return tasks;
  });
  return new Series(name, n, layerNode(layer, [frame.layer]), frame.divisions, { name: out, label: q.label, type: spec.outType, index: frame.meta.index });
}

export interface GroupRollingOptions {
  /** Fewest non-missing values a window needs (default: the window, as pandas). */
  minPeriods?: number;
  /** Delta degrees of freedom of std/var (default 1). */
  ddof?: number;
}

const ROLLING_OPTIONS = refusing<GroupRollingOptions>(
  { minPeriods: (v) => (Number.isInteger(v) && (v as number) >= 0 ? undefined : 'a non-negative integer'), ddof: (v) => (Number.isInteger(v) && (v as number) >= 0 ? undefined : 'a non-negative integer') },
  { center: `${NOT_YET} within groups`, winType: NOT_YET, on: NOT_YET, closed: NOT_YET, method: NOT_YET, axis: NOT_YET, step: NOT_YET },
);

/** `groupby(k).col(c).rolling(window)`: windows of each group's rows, in the frame's row order. */
export class GroupRolling {
  private readonly minPeriods: number | undefined;
  private readonly ddof: number;
  /** @internal */
  constructor(
    private readonly g: GroupBy,
    private readonly column: string,
    private readonly window: number,
    options: GroupRollingOptions | undefined,
  ) {
    const opts = checkOptions('SeriesGroupBy.rolling', options, ROLLING_OPTIONS);
    if (!Number.isInteger(window) || window < 1) throw new RangeError(`SeriesGroupBy.rolling: window must be a positive integer (rows), got ${String(window)}`);
    this.minPeriods = opts.minPeriods;
    this.ddof = opts.ddof ?? 1;
  }

  private run(agg: WindowAgg, fn?: OpRef): Series {
    // pandas 1.5's rolling count counts windows of any size unless min_periods is given.
    const minPeriods = this.minPeriods ?? (agg === 'count' ? 0 : this.window);
    return scanSeries(this.g, { method: `GroupRolling.${agg}`, op: 'rolling', column: this.column, n: this.window, window: { agg, minPeriods, ddof: this.ddof }, label: this.column, ...(fn ? { fn } : {}) });
  }
  mean(): Series {
    return this.run('mean');
  }
  sum(): Series {
    return this.run('sum');
  }
  min(): Series {
    return this.run('min');
  }
  max(): Series {
    return this.run('max');
  }
  std(): Series {
    return this.run('std');
  }
  var(): Series {
    return this.run('var');
  }
  count(): Series {
    return this.run('count');
  }
  /** `fn(values: Float64Array) => number` on each window (pandas' `apply(f, raw=True)`); it travels to workers as source text. */
  apply(fn: ((values: Float64Array) => number) | OpRef): Series {
    return this.run('apply', toFnRef(fn, 'GroupRolling.apply'));
  }
}

export const toFnRef = (fn: unknown, method: string): OpRef => fnOp(fn, method);
