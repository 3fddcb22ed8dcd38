/**
 * Custom group-by aggregations (Dask's `dd.Aggregation(name, chunk, agg, finalize)`), written
 * against pdask's per-group views instead of pandas' SeriesGroupBy:
 *
 *   const customMean = new dd.Aggregation({
 *     name: 'custom_mean',
 *     chunk: (g) => [g.sum(), g.count()],          // each partition: per-group sum and count
 *     agg: (s, c) => [s.sum(), c.sum()],           // merges those of several partitions
 *     finalize: (s, c) => s.div(c),                // the result per group
 *   });
 *   df.groupby('k').agg({ y: customMean });
 *
 * `chunk` receives a GroupedValues (one column of one partition, grouped) and returns one PerGroup
 * (or Float64Array of one value per group) or an array of them. `agg` receives one GroupedValues per
 * item chunk returned, holding those results of several partitions grouped alike, and must return as
 * many items: it also merges its own results, level by level of the tree, as Dask's does. `finalize`
 * receives agg's items as PerGroups and returns one; without it, agg must return one item.
 *
 * The functions run on worker threads, shipped as source text: like any pdask user function they
 * must not capture variables from their enclosing scope (refused here, with the variable's name).
 */
import { checkOptions, isModuleFunction, toOpRef, UnshippableFunctionError, type ModuleFunction, type OpFunction, type OpRef, type OptionRule } from '@pdask/core';
import type { GroupedValues, PerGroup, PerGroupResult } from './ops/grouped';

/** A function of an Aggregation: self-contained, or exported by a module (fromModule). */
type Fn<F extends OpFunction> = F | ModuleFunction<F>;

export interface AggregationSpec {
  /** Names the aggregation in errors and in output columns of a list (`<column>_<name>`). */
  name: string;
  /** Per partition: the grouped values of the column → per-group results. */
  chunk: Fn<(values: GroupedValues) => PerGroupResult>;
  /** Per group of partials: one GroupedValues per item chunk returned → as many per-group results. */
  agg: Fn<(...parts: GroupedValues[]) => PerGroupResult>;
  /** At the end: agg's items → the per-group result (default: agg's only item). */
  finalize?: Fn<(...items: PerGroup[]) => PerGroup | Float64Array>;
}

const fn: OptionRule = (v) => (typeof v === 'function' || isModuleFunction(v) ? undefined : 'a function (or fromModule(...))');
const SPEC = {
  name: (v: unknown) => (typeof v === 'string' && v.length > 0 ? undefined : 'a non-empty string'),
  chunk: fn,
  agg: fn,
  finalize: fn,
};

/** The functions of an Aggregation as task arguments carry them: shippable references. */
export interface AggregationRefs {
  readonly chunk: OpRef;
  readonly agg: OpRef;
  readonly finalize: OpRef | null;
}

export class Aggregation {
  readonly name: string;
  /** @internal */
  readonly refs: AggregationRefs;

  constructor(spec: AggregationSpec) {
    if (typeof spec !== 'object' || spec === null) throw new TypeError(`Aggregation: expected { name, chunk, agg, finalize? }, got ${spec === null ? 'null' : typeof spec}`);
    const s = checkOptions('Aggregation', spec, SPEC);
    for (const k of ['name', 'chunk', 'agg'] as const) if (s[k] === undefined) throw new TypeError(`Aggregation: '${k}' is required ({ name, chunk, agg, finalize? })`);
    this.name = s.name;
    this.refs = {
      chunk: shippable(s.name, 'chunk', s.chunk),
      agg: shippable(s.name, 'agg', s.agg),
      finalize: s.finalize === undefined ? null : shippable(s.name, 'finalize', s.finalize),
    };
  }

  toString(): string {
    return `Aggregation('${this.name}')`;
  }
}

/** Checked now, so that a closure fails where the Aggregation is made, naming what it captures. */
function shippable(name: string, role: string, f: OpFunction | ModuleFunction): OpRef {
  try {
    return toOpRef(f);
  } catch (e) {
    if (!(e instanceof UnshippableFunctionError)) throw e;
    if (e.captured.length === 0) throw new UnshippableFunctionError(`Aggregation '${name}': ${role}: ${e.message}`, e.functionName, e.captured);
    const list = e.captured.map((c) => `'${c}'`).join(', ');
    throw new UnshippableFunctionError(
      `Aggregation '${name}': ${role} captures ${list} from its enclosing scope, which a worker thread does not have. ` +
        `Write ${e.captured.length > 1 ? 'those values' : 'the value'} inside the function, or export the function from a module and use fromModule(specifier, exportName).`,
      e.functionName,
      e.captured,
    );
  }
}
