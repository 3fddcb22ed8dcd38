/**
 * `resample(freq)` over a datetime index with known divisions (Dask requires them too): output
 * partition i holds the bins whose left edge lies in its division range, so the result keeps the
 * input's number of partitions, and its divisions are the bins' edges.
 */
import { arr, layerNode, lit, ref, type TaskNode } from '@pdask/core';
import type { DivisionValue } from './base';
import { DataFrame } from './frame';
import { FrameLayer, opName, partitionKey } from './graph';
import { isNumericDesc } from './meta';
import { dataframeOps } from './ops/index';
import type { ResampleAgg, ResampleSpec } from './ops/resample';
import type { TypeDesc } from './ops/types';
import { Series } from './series';
import { NS_PER_DAY } from './types/timestamps';
import { fixedSpan } from './time-span';

const AGGS: readonly ResampleAgg[] = ['sum', 'mean', 'count', 'min', 'max', 'first', 'last', 'std', 'var', 'size'];
const F64: TypeDesc = { id: 'float', bits: 64 };
const I32: TypeDesc = { id: 'int', bits: 32, signed: true };

/** Division values of a datetime index are float milliseconds: as nanoseconds. */
const toNs = (d: DivisionValue): bigint => BigInt(Math.round((d as number) * 1e6));
const floorTo = (t: bigint, origin: bigint, freq: bigint): bigint => {
  const d = t - origin;
  return origin + (d / freq - (d < 0n && d % freq !== 0n ? 1n : 0n)) * freq;
};
/** Slack for the rounding of divisions kept as float milliseconds. */
const SLACK = 1000n;

export class Resampler<C extends DataFrame | Series = DataFrame | Series> {
  private readonly freq: bigint;
  private readonly columns: string[];

  /** @internal Made by Series.resample and DataFrame.resample. */
  constructor(
    private readonly input: C,
    private readonly rule: string,
  ) {
    const method = input instanceof DataFrame ? 'DataFrame.resample' : 'Series.resample';
    const freq = fixedSpan(rule);
    if (freq === null) throw new RangeError(`${method}: '${String(rule)}' is not a fixed frequency (such as '1D', '6h', '90min'); calendar frequencies ('M', 'W') are not implemented`);
    const level = input.meta.index?.levels[0];
    if (!level || level.type.id !== 'timestamp' || input.meta.index!.levels.length !== 1) throw new TypeError(`${method}: resample needs a datetime index; set one with setIndex on a datetime column`);
    if (level.type.tz) throw new TypeError(`${method}: resample of a time-zone-aware index is not implemented (its days would start at UTC midnight); convert it with dt.tzConvert(null)`);
    if (input.divisions === null) throw new Error(`${method}: resample needs known divisions, as Dask's does; set the index with setIndex (or repartition({ divisions }))`);
    this.freq = freq;
    this.columns = input instanceof DataFrame ? input.columns.filter((c) => isNumericDesc(input.typeOf(c))) : [(input as Series).seriesName];
    if (this.columns.length === 0 || !this.columns.every((c) => isNumericDesc(this.typeOf(c)))) throw new TypeError(`${method}: resample needs numeric columns`);
  }

  private typeOf(c: string): TypeDesc {
    return this.input instanceof DataFrame ? this.input.typeOf(c) : (this.input as Series).typeDesc;
  }

  private run(outputs: { out: string; column: string; agg: ResampleAgg }[], series: boolean): C {
    const c = this.input;
    const divs = c.divisions!.map(toNs);
    const freq = this.freq;
    // pandas' default origin 'start_day': midnight of the first day.
    const origin = floorTo(divs[0], 0n, NS_PER_DAY);
    const spec: ResampleSpec = { columns: [...new Set(outputs.map((o) => o.column))], freq: String(freq), origin: String(origin), ddof: 1 };
    const typed = outputs.map((o) => ({ ...o, type: o.agg === 'count' || o.agg === 'size' ? I32 : F64 }));
    const n = c.npartitions;
    const edges = divs.map((d) => floorTo(d, origin, freq));
    const hiOf = (i: number) => (i === n - 1 ? edges[n] + freq : edges[i + 1]);
    const name = opName('resample', c.name, spec, typed);
    const ops = dataframeOps;
    const indexType = c.meta.index!.levels[0].type;
    const layer = new FrameLayer(name, 'resample', () => {
      const tasks: TaskNode[] = [];
      for (let j = 0; j < n; j++) tasks.push(ops.resamplePartial.task(`${name}-partial-${j}`, ref(partitionKey(c.name, j)), lit(spec)));
      for (let i = 0; i < n; i++) {
        const lo = edges[i];
        const hi = hiOf(i);
        const reads: number[] = [];
        for (let j = 0; j < n; j++) if (hi > lo && divs[j] < hi + SLACK && divs[j + 1] + SLACK >= lo) reads.push(j);
        tasks.push(ops.resampleFinal.task(partitionKey(name, i), arr(reads.map((j) => ref(`${name}-partial-${j}`))), lit(spec), lit(String(lo)), lit(String(hi)), lit(typed), lit(indexType)));
      }
      return tasks;
    });
    const node = layerNode(layer, [c.layer]);
    const toMs = (ns: bigint) => Number(ns) / 1e6;
    const divisions = [...edges.slice(0, n).map(toMs), toMs(edges[n])];
    // Equal edges (a partition with no bin of its own) would not be valid divisions.
    const known = divisions.every((d, i) => i === 0 || d > divisions[i - 1] || (i === divisions.length - 1 && d === divisions[i - 1]));
    const index = c.meta.index;
    if (series) return new Series(name, n, node, known ? divisions : null, { name: typed[0].out, label: (c as Series).meta.label, type: typed[0].type, index }) as C;
    return new DataFrame(name, n, node, known ? divisions : null, { names: typed.map((o) => o.out), types: typed.map((o) => o.type), index }) as C;
  }

  private every(agg: ResampleAgg): C {
    return this.run(this.columns.map((col) => ({ out: col, column: col, agg })), !(this.input instanceof DataFrame));
  }

  /**
   * Several aggregations: one name for every column, or `{ column: name }` (a frame). Names:
   * sum, mean, count, min, max, first, last, std, var, size.
   */
  agg(spec: ResampleAgg | Readonly<Record<string, ResampleAgg>>): C {
    const method = 'Resampler.agg';
    const check = (a: unknown): ResampleAgg => {
      if (typeof a !== 'string' || !AGGS.includes(a as ResampleAgg)) throw new TypeError(`${method}: unknown aggregation ${JSON.stringify(a) ?? typeof a}; known: ${AGGS.join(', ')}`);
      return a as ResampleAgg;
    };
    if (typeof spec === 'string') return this.every(check(spec));
    if (!(this.input instanceof DataFrame)) throw new TypeError(`${method}: a series takes one aggregation name`);
    const outputs = Object.entries(spec).map(([col, a]) => {
      if (!this.columns.includes(col)) throw new Error(`${method}: column '${col}' is not a numeric column of the frame (${this.columns.map((x) => `'${x}'`).join(', ')})`);
      return { out: col, column: col, agg: check(a) };
    });
    if (outputs.length === 0) throw new RangeError(`${method}: no aggregation given`);
    return this.run(outputs, false);
  }
  sum(): C {
    return this.every('sum');
  }
  mean(): C {
    return this.every('mean');
  }
  count(): C {
    return this.every('count');
  }
  min(): C {
    return this.every('min');
  }
  max(): C {
    return this.every('max');
  }
  first(): C {
    return this.every('first');
  }
  last(): C {
    return this.every('last');
  }
  std(): C {
    return this.every('std');
  }
  var(): C {
    return this.every('var');
  }
  size(): C {
    return this.every('size');
  }
}
