/**
 * Fused element-wise pipelines. A chain of map / filter / flatMap / pluck … stages runs as one
 * task per partition: each element is pushed through every stage in turn, into a sink that is
 * either the output array or a reduction's running state (sum, count, word counts …). No
 * intermediate arrays are built, and the source may be a packed Float64Array or a block of a
 * text file whose lines are cut as they are consumed.
 *
 * Elements flow one at a time through the whole chain, as in Dask (whose bag partitions are
 * Python iterators): a filter may see element 0 before the map has seen element 1.
 */
import { readBlockText, type Compression } from './io';
import { KeyTable } from './keys';
import { NO_RESULT, reifyElement, reported, userError } from './spec';

type Fn = (...args: unknown[]) => unknown;

export type StageKind = 'map' | 'starmap' | 'filter' | 'remove' | 'flatMap' | 'flatten' | 'pluck';

/** A stage as a task carries it: kind, function (or null), extra arguments, which extras are zipped partitions, option. */
export type StageTuple = readonly [kind: StageKind, fn: Fn | null, extra: readonly unknown[], zip: readonly boolean[], opt: unknown];

/** Where a pipeline's elements come from: an array-like partition, or the lines of a text block. */
export type SourceKind = 'items' | 'lines';

/** A block of a text file: the arguments of readBlockText. */
export type TextBlock = readonly [path: string, start: number, end: number, compression: Compression, encoding: string, delimiter: string];

/** Reductions whose per-partition step runs as elements arrive; null: collect, then call the step. */
export type SinkKind = 'sum' | 'count' | 'max' | 'min' | 'any' | 'all' | 'counts' | null;

/**
 * The arguments of element `j`: extra arguments as given, except those marked in `zip`, which
 * are partitions of other bags read element-wise.
 */
function argsAt(x: unknown, j: number, extra: readonly unknown[], zip: readonly boolean[]): unknown[] {
  const args = new Array<unknown>(extra.length + 1);
  args[0] = x;
  for (let k = 0; k < extra.length; k++) args[k + 1] = zip[k] ? (extra[k] as unknown[])[j] : extra[k];
  return args;
}

function checkZipLengths(method: string, p: number, n: number, extra: readonly unknown[], zip: readonly boolean[]): void {
  for (let k = 0; k < extra.length; k++) {
    if (zip[k] && (extra[k] as unknown[]).length !== n) {
      throw new Error(
        `Bag.${method}: partition ${p} of the bags being combined element-wise has ${n} and ${(extra[k] as unknown[]).length} elements; ` +
          'the bags must be partitioned identically (same number of elements in each partition)',
      );
    }
  }
}

function pluckOne(x: unknown, key: string | number, p: number, j: number, hasDefault: boolean, dflt: unknown): unknown {
  if (x !== null && x !== undefined && (key in Object(x))) return (x as Record<string | number, unknown>)[key];
  if (hasDefault) return dflt;
  throw new RangeError(`Bag.pluck: element ${j} of partition ${p} has no ${typeof key === 'number' ? 'index' : 'property'} ${JSON.stringify(key)} (pass a default to pluck to use one instead)`);
}

interface Push {
  push(x: unknown): void;
}

// ---- stages ---------------------------------------------------------------------------------------
// Each counts the elements it has received, so an error names the element's index in that
// stage's input partition — the index it would have if the step ran alone over that partition.

class MapStage implements Push {
  private j = 0;
  constructor(
    private readonly p: number,
    private readonly fn: Fn,
    private readonly next: Push,
  ) {}
  push(x: unknown): void {
    let y: unknown;
    try {
      y = this.fn(x);
    } catch (e) {
      throw userError(e, 'map', this.p, this.j);
    }
    this.j++;
    this.next.push(y);
  }
}

/** map with extra arguments, and starmap. */
class MapArgsStage implements Push {
  private j = 0;
  constructor(
    private readonly p: number,
    private readonly fn: Fn,
    private readonly extra: readonly unknown[],
    private readonly zip: readonly boolean[],
    private readonly star: boolean,
    private readonly next: Push,
  ) {}
  push(x: unknown): void {
    const j = this.j++;
    let y: unknown;
    try {
      const args = argsAt(x, j, this.extra, this.zip);
      y = this.star ? this.fn(...(args[0] as unknown[]), ...args.slice(1)) : this.fn(...args);
    } catch (e) {
      throw userError(e, this.star ? 'starmap' : 'map', this.p, j);
    }
    this.next.push(y);
  }
}

class FilterStage implements Push {
  private j = 0;
  constructor(
    private readonly p: number,
    private readonly pred: Fn,
    private readonly keep: boolean,
    private readonly extra: readonly unknown[],
    private readonly zip: readonly boolean[],
    private readonly next: Push,
  ) {}
  push(x: unknown): void {
    let k: unknown;
    try {
      k = this.extra.length === 0 ? this.pred(x) : this.pred(...argsAt(x, this.j, this.extra, this.zip));
    } catch (e) {
      throw userError(e, this.keep ? 'filter' : 'remove', this.p, this.j);
    }
    this.j++;
    if (!k !== this.keep) this.next.push(x);
  }
}

/** flatMap, and flatten (no function). */
class FlatStage implements Push {
  private j = 0;
  constructor(
    private readonly p: number,
    private readonly fn: Fn | null,
    private readonly extra: readonly unknown[],
    private readonly zip: readonly boolean[],
    private readonly next: Push,
  ) {}
  push(x: unknown): void {
    const j = this.j++;
    let r = x;
    if (this.fn !== null) {
      try {
        r = this.extra.length === 0 ? this.fn(x) : this.fn(...argsAt(x, j, this.extra, this.zip));
      } catch (e) {
        throw userError(e, 'flatMap', this.p, j);
      }
    }
    const next = this.next;
    if (Array.isArray(r)) {
      for (let i = 0; i < r.length; i++) next.push(r[i]);
    } else if (r !== null && r !== undefined && typeof (r as Iterable<unknown>)[Symbol.iterator] === 'function') {
      for (const v of r as Iterable<unknown>) next.push(v);
    } else {
      const method = this.fn === null ? 'flatten' : 'flatMap';
      throw reported(new TypeError(`Bag.${method}: element ${j} of partition ${this.p} is not iterable (${r === null ? 'null' : typeof r})`));
    }
  }
}

class PluckStage implements Push {
  private j = 0;
  constructor(
    private readonly p: number,
    private readonly key: string | number | readonly (string | number)[],
    private readonly hasDefault: boolean,
    private readonly dflt: unknown,
    private readonly next: Push,
  ) {}
  push(x: unknown): void {
    const j = this.j++;
    const { key, p, hasDefault, dflt } = this;
    let y: unknown;
    try {
      y = Array.isArray(key) ? key.map((k: string | number) => pluckOne(x, k, p, j, hasDefault, dflt)) : pluckOne(x, key as string | number, p, j, hasDefault, dflt);
    } catch (e) {
      throw e instanceof Error ? reported(e) : e;
    }
    this.next.push(y);
  }
}

function stage(p: number, [kind, fn, extra, zip, opt]: StageTuple, next: Push): Push {
  switch (kind) {
    case 'map':
      return extra.length === 0 ? new MapStage(p, fn!, next) : new MapArgsStage(p, fn!, extra, zip, false, next);
    case 'starmap':
      return new MapArgsStage(p, fn!, extra, zip, true, next);
    case 'filter':
    case 'remove':
      return new FilterStage(p, fn!, kind === 'filter', extra, zip, next);
    case 'flatMap':
    case 'flatten':
      return new FlatStage(p, kind === 'flatten' ? null : fn, extra, zip, next);
    case 'pluck': {
      const [key, hasDefault, dflt] = opt as [string | number | (string | number)[], boolean, unknown];
      return new PluckStage(p, key, hasDefault, dflt, next);
    }
    default:
      throw new Error(`unknown bag pipeline stage '${String(kind)}'`);
  }
}

/** Pushes every element of the source through the stages into `sink`. */
function drive(p: number, kind: SourceKind, source: unknown, stages: readonly StageTuple[], sink: Push): void {
  let head = sink;
  for (let k = stages.length - 1; k >= 0; k--) head = stage(p, stages[k], head);
  if (kind === 'items') {
    const xs = source as ArrayLike<unknown>;
    const n = xs.length;
    // Only a pipeline's first stage may read other bags element-wise: its input length is known.
    const first = stages[0];
    if (first !== undefined && first[3].some(Boolean)) checkZipLengths(first[0], p, n, first[2], first[3]);
    for (let j = 0; j < n; j++) head.push(xs[j]);
    return;
  }
  // Lines keep their delimiter and there is no empty last line, as in readTextBlock.
  const [path, start, end, compression, encoding, delim] = source as TextBlock;
  const text = readBlockText(path, start, end, compression, encoding, delim);
  const d = delim.length;
  let from = 0;
  for (let i = text.indexOf(delim); i >= 0; i = text.indexOf(delim, from)) {
    head.push(text.slice(from, i + d));
    from = i + d;
  }
  if (from < text.length) head.push(text.slice(from));
}

// ---- sinks ----------------------------------------------------------------------------------------

interface Sink extends Push {
  /** Elements received. */
  n: number;
  result(): unknown;
}

class Collect implements Sink {
  readonly out: unknown[] = [];
  n = 0;
  constructor(private readonly p: number) {}
  push(x: unknown): void {
    this.out.push(typeof x === 'object' && x !== null ? reifyElement(x, this.p, this.n) : x);
    this.n++;
  }
  result(): unknown {
    return this.out;
  }
}

/** Left-to-right `+` from the first element, as sumOf. */
class Sum implements Sink {
  n = 0;
  private acc: unknown = 0;
  push(x: unknown): void {
    this.acc = this.n++ === 0 ? x : (this.acc as number) + (x as number);
  }
  result(): unknown {
    return this.acc;
  }
}

class Count implements Sink {
  n = 0;
  push(): void {
    this.n++;
  }
  result(): unknown {
    return this.n;
  }
}

/** The first element, replaced by any later one that is greater (`more`) or smaller: maxOf / minOf. */
class Extreme implements Sink {
  n = 0;
  private m: unknown = 0;
  constructor(private readonly more: boolean) {}
  push(x: unknown): void {
    if (this.n++ === 0 || (this.more ? (x as number) > (this.m as number) : (x as number) < (this.m as number))) this.m = x;
  }
  result(): unknown {
    return this.m;
  }
}

/** any / all over every element (all are evaluated, as the unfused reduction does). */
class Truth implements Sink {
  n = 0;
  private v: boolean;
  constructor(private readonly all: boolean) {
    this.v = all;
  }
  push(x: unknown): void {
    this.n++;
    if (this.all ? !x : x) this.v = !this.all;
  }
  result(): unknown {
    return this.v;
  }
}

/** countValues as elements arrive: [distinct values in first-seen order, their counts]. */
class Counts implements Sink {
  n = 0;
  private readonly t = new KeyTable();
  private readonly counts: number[] = [];
  constructor(
    private readonly method: string,
    private readonly p: number,
  ) {}
  push(x: unknown): void {
    const v = typeof x === 'object' && x !== null ? reifyElement(x, this.p, this.n) : x;
    this.n++;
    let s: number;
    try {
      s = this.t.slot(v);
    } catch (e) {
      throw userError(e, this.method, this.p);
    }
    if (s < 0) this.counts.push(1);
    else this.counts[s]++;
  }
  result(): unknown {
    return [this.t.keys, this.counts];
  }
}

function sink(kind: SinkKind, method: string, p: number): Sink {
  switch (kind) {
    case 'sum':
      return new Sum();
    case 'count':
      return new Count();
    case 'max':
    case 'min':
      return new Extreme(kind === 'max');
    case 'any':
    case 'all':
      return new Truth(kind === 'all');
    case 'counts':
      return new Counts(method, p);
    default:
      return new Collect(p);
  }
}

// ---- operations -------------------------------------------------------------------------------------

/** A partition computed through a pipeline: the source's elements after every stage. */
export const pipePartition = (p: number, kind: SourceKind, source: unknown, stages: readonly StageTuple[]): unknown[] => {
  const out = new Collect(p);
  drive(p, kind, source, stages, out);
  return out.out;
};

/**
 * A tree reduction's per-partition step over a pipeline (what reducePart does for a computed
 * partition): the sink's result, or `chunk(elements, ...extra)` when there is no streaming sink;
 * NO_RESULT when nothing came out of the pipeline and other partitions exist.
 */
export const pipeReduce = (method: string, p: number, kind: SourceKind, source: unknown, stages: readonly StageTuple[], sinkKind: SinkKind, chunk: Fn, isLast: boolean, extra: readonly unknown[]): unknown => {
  const s = sink(sinkKind, method, p);
  drive(p, kind, source, stages, s);
  if (s.n === 0 && !isLast) return NO_RESULT;
  if (sinkKind !== null && s.n > 0) return s.result();
  try {
    // Also the streaming reductions of an empty bag: their step gives the answer (0, or an error).
    return chunk(sinkKind === null ? s.result() : [], ...extra);
  } catch (e) {
    throw userError(e, method, p);
  }
};
