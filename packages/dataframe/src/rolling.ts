/**
 * `rolling(window)` of a series or frame (Dask's map_overlap): windows of a number of rows, or of
 * a time span ('2h') over a datetime index with known divisions. Each partition gets the rows its
 * windows reach from the partitions before it (after it, when centred) through a chain of carries.
 */
import { checkOptions, fnArg, layerNode, lit, ref, type OpRef, type TaskNode } from '@pdask/core';
import { DataFrame } from './frame';
import { FrameLayer, opName, partitionKey } from './graph';
import { isNumericDesc } from './meta';
import { fnOp } from './map-partitions';
import { dataframeOps } from './ops/index';
import { reach, type RollingSpec } from './ops/rolling';
import type { TypeDesc } from './ops/types';
import type { WindowAgg } from './ops/window';
import { NOT_YET, refusing } from './options';
import { Series } from './series';
import { fixedSpan } from './time-span';

export interface RollingOptions {
  /** Fewest non-missing values a window needs (default: the window for row windows, 1 for time windows, as pandas). */
  minPeriods?: number;
  /** Label each window at its middle row (row windows only). */
  center?: boolean;
  /** Delta degrees of freedom of std/var (default 1). */
  ddof?: number;
}

const nonNegative = (v: unknown) => (Number.isInteger(v) && (v as number) >= 0 ? undefined : 'a non-negative integer');

const ROLLING_OPTIONS = refusing<RollingOptions>(
  { minPeriods: nonNegative, center: 'boolean', ddof: nonNegative },
  { winType: NOT_YET, on: `${NOT_YET}: set the time column as the index (setIndex)`, axis: NOT_YET, closed: NOT_YET, step: NOT_YET, method: NOT_YET },
);

const F64: TypeDesc = { id: 'float', bits: 64 };

export class Rolling<C extends DataFrame | Series = DataFrame | Series> {
  private readonly rows?: number;
  private readonly span?: bigint;
  private readonly opts: RollingOptions;
  private readonly columns: string[];

  /** @internal Made by Series.rolling and DataFrame.rolling. */
  constructor(
    private readonly input: C,
    window: number | string,
    options: RollingOptions | undefined,
  ) {
    const method = input instanceof DataFrame ? 'DataFrame.rolling' : 'Series.rolling';
    this.opts = checkOptions(method, options, ROLLING_OPTIONS);
    if (typeof window === 'number') {
      if (!Number.isInteger(window) || window < 1) throw new RangeError(`${method}: window must be a positive integer (rows) or a time span such as '2h', got ${window}`);
      this.rows = window;
    } else if (typeof window === 'string') {
      const span = fixedSpan(window);
      if (span === null) throw new RangeError(`${method}: window '${window}' is not a fixed time span (such as '2h', '30min', '1D'; calendar spans such as '1M' are not fixed)`);
      const level = input.meta.index?.levels[0];
      if (!level || level.type.id !== 'timestamp' || input.meta.index!.levels.length !== 1) throw new TypeError(`${method}: a time window ('${window}') needs a datetime index; set one with setIndex on a datetime column`);
      if (input.divisions === null) throw new Error(`${method}: a time window ('${window}') needs known divisions, as Dask's map_overlap does; set the index with setIndex (or repartition({ divisions }))`);
      if (this.opts.center) throw new Error(`${method}: center is ${NOT_YET} for time windows`);
      this.span = span;
    } else throw new TypeError(`${method}: window must be a number of rows or a time span such as '2h', got ${typeof window}`);
    if (input instanceof DataFrame) {
      this.columns = input.columns.filter((c) => isNumericDesc(input.typeOf(c)));
      if (this.columns.length === 0) throw new Error(`${method}: the frame has no numeric column`);
    } else {
      if (!isNumericDesc(input.typeDesc)) throw new TypeError(`${method}: series '${input.seriesName}' has dtype ${input.dtype}; rolling needs numbers`);
      this.columns = [input.seriesName];
    }
  }

  private run(agg: WindowAgg, fn?: OpRef): C {
    const c = this.input;
    const minPeriods = this.opts.minPeriods ?? (this.span !== undefined ? (agg === 'count' ? 0 : 1) : agg === 'count' ? 0 : this.rows!);
    const spec: RollingSpec = {
      columns: this.columns,
      ...(this.rows !== undefined ? { rows: this.rows } : { span: String(this.span) }),
      center: this.opts.center ?? false,
      window: { agg, minPeriods, ddof: this.opts.ddof ?? 1 },
    };
    const name = opName(`rolling-${agg}`, c.name, spec, fn ?? null);
    const n = c.npartitions;
    const ops = dataframeOps;
    const after = reach(spec).after > 0;
    const layer = new FrameLayer(name, `rolling-${agg}`, () => {
      const tasks: TaskNode[] = [];
      const part = (i: number) => ref(partitionKey(c.name, i));
      for (let i = 0; i < n - 1; i++) tasks.push(ops.rollingTail.task(`${name}-tail-${i}`, part(i), i === 0 ? lit(null) : ref(`${name}-tail-${i - 1}`), lit(spec)));
      if (after) for (let i = n - 1; i >= 1; i--) tasks.push(ops.rollingHead.task(`${name}-head-${i}`, part(i), i === n - 1 ? lit(null) : ref(`${name}-head-${i + 1}`), lit(spec)));
      for (let i = 0; i < n; i++) {
        tasks.push(ops.rollingApply.task(partitionKey(name, i), part(i), i === 0 ? lit(null) : ref(`${name}-tail-${i - 1}`), after && i < n - 1 ? ref(`${name}-head-${i + 1}`) : lit(null), lit(spec), fn ? fnArg(fn) : lit(null)));
      }
      return tasks;
    });
    const node = layerNode(layer, [c.layer]);
    if (c instanceof DataFrame) return new DataFrame(name, n, node, c.divisions, { names: [...this.columns], types: this.columns.map(() => F64), index: c.meta.index }) as C;
    return new Series(name, n, node, c.divisions, { ...(c as Series).meta, type: F64 }) as C;
  }

  mean(): C {
    return this.run('mean');
  }
  sum(): C {
    return this.run('sum');
  }
  min(): C {
    return this.run('min');
  }
  max(): C {
    return this.run('max');
  }
  std(): C {
    return this.run('std');
  }
  var(): C {
    return this.run('var');
  }
  /** Non-missing values per window. */
  count(): C {
    return this.run('count');
  }
  /** `fn(values: Float64Array) => number` on each window (pandas' `apply(f, raw=True)`); it travels to workers as source text. */
  apply(fn: (values: Float64Array) => number): C {
    return this.run('apply', fnOp(fn, 'Rolling.apply'));
  }
}
