/**
 * merge (Dask's dd.merge) on key columns: inner, left, right or outer. When a side is a single
 * partition and the join keeps none of its unmatched rows, it is broadcast: each partition of the
 * other side is joined with it, one task each. Otherwise both sides are hash partitioned on their
 * keys into the same number of buckets (split tasks, then one task per piece), and bucket b of the
 * left is joined with bucket b of the right.
 */
import { arr, checkOptions, intAtLeast, layerNode, lit, ref, type OptionRule, type OptionSchema, type TaskNode } from '@pdask/core';
import { DataFrame } from './frame';
import { FrameLayer, opName, partitionKey } from './graph';
import { checkColumn } from './meta';
import { dataframeOps } from './ops/index';
import type { JoinHow, JoinSpec } from './ops/join';
import { NOT_YET, refusing } from './options';
import { dtypeName, type TypeDesc } from './ops/types';
import { crossJoin } from './cross-join';
import { joinIndex } from './index-ops/join';
import { shuffleMethodOf, shuffleMethodRule, shuffleStage, type ShuffleMethod } from './shuffle-method';

export interface MergeOptions {
  /** Key column(s) of both sides. */
  on?: string | readonly string[];
  /** Key column(s) of the left side (with rightOn, instead of on). */
  leftOn?: string | readonly string[];
  rightOn?: string | readonly string[];
  /**
   * 'inner' (default): matching rows only; 'left' / 'right': every row of that side, missing values
   * where the other side has no match; 'outer': every row of both.
   */
  how?: JoinHow | 'cross';
  /** Added to column names found on both sides (default ['_x', '_y'], as pandas). */
  suffixes?: readonly [string, string];
  /** Output partitions of a shuffle join (default: the larger side's number of partitions). */
  npartitions?: number;
  /** How a hash join moves rows: 'p2p' or 'tasks' (Dask's shuffle_method; default: config 'dataframe.shuffle.method'). */
  shuffleMethod?: ShuffleMethod;
  /** With rightIndex: join on both sides' indexes (pandas' left_index=True, right_index=True), as DataFrame.join. */
  leftIndex?: boolean;
  rightIndex?: boolean;
}

const F64: TypeDesc = { id: 'float', bits: 64 };
const UTF8: TypeDesc = { id: 'utf8' };
const HOWS: readonly JoinHow[] = ['inner', 'left', 'right', 'outer'];
const asList = (x: string | readonly string[]): string[] => (typeof x === 'string' ? [x] : [...x]);

/** The type of a key column filled from both sides: theirs when they agree, else float64 or text. */
function keyType(l: TypeDesc, r: TypeDesc): TypeDesc {
  if (JSON.stringify(l) === JSON.stringify(r)) return l;
  return keyKind(l) === 'text' ? UTF8 : F64;
}

/** Key kinds that can match: numbers with numbers, text with text. */
function keyKind(t: TypeDesc): 'number' | 'text' {
  if (t.id === 'utf8' || (t.id === 'dict' && t.value.id === 'utf8')) return 'text';
  return 'number';
}

interface Plan {
  spec: JoinSpec;
  names: string[];
  types: TypeDesc[];
}

function plan(left: DataFrame, right: DataFrame, opts: MergeOptions & { how?: JoinHow }, method: string): Plan {
  const how = opts.how ?? 'inner';
  if (!HOWS.includes(how)) throw new TypeError(`${method}: how must be one of ${HOWS.map((h) => `'${h}'`).join(', ')}, got ${JSON.stringify(how)}`);
  let leftOn: string[];
  let rightOn: string[];
  if (opts.on !== undefined) {
    if (opts.leftOn !== undefined || opts.rightOn !== undefined) throw new TypeError(`${method}: give on, or leftOn and rightOn, not both`);
    leftOn = rightOn = asList(opts.on);
  } else if (opts.leftOn !== undefined && opts.rightOn !== undefined) {
    leftOn = asList(opts.leftOn);
    rightOn = asList(opts.rightOn);
  } else {
    // pandas' default: the columns both sides share.
    leftOn = rightOn = left.columns.filter((c) => right.columns.includes(c));
    if (leftOn.length === 0) throw new TypeError(`${method}: the frames share no column; give on, or leftOn and rightOn`);
  }
  if (leftOn.length === 0) throw new TypeError(`${method}: no key column given`);
  if (leftOn.length !== rightOn.length) throw new TypeError(`${method}: leftOn has ${leftOn.length} columns and rightOn ${rightOn.length}; they must pair up`);
  leftOn.forEach((l, j) => {
    checkColumn(`${method} (left key)`, l, left.columns);
    checkColumn(`${method} (right key)`, rightOn[j], right.columns);
    const lt = left.typeOf(l);
    const rt = right.typeOf(rightOn[j]);
    if (keyKind(lt) !== keyKind(rt)) throw new TypeError(`${method}: key column '${l}' (${dtypeName(lt)}) of the left cannot match '${rightOn[j]}' (${dtypeName(rt)}) of the right`);
  });
  const [sx, sy] = opts.suffixes ?? ['_x', '_y'];
  // A right key named like its left key is the same column in the output (pandas' on=).
  const rightCols = right.columns.filter((c) => !rightOn.some((r, j) => r === c && leftOn[j] === c));
  const shared = new Set(left.columns.filter((c) => rightCols.includes(c)));
  const leftOut = left.columns.map((c): [string, string] => [c, shared.has(c) ? c + sx : c]);
  const rightOut = rightCols.map((c): [string, string] => [c, shared.has(c) ? c + sy : c]);
  const names = [...leftOut.map(([, o]) => o), ...rightOut.map(([, o]) => o)];
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new Error(`${method}: the result would have two columns named '${dup}'; choose other suffixes`);
  // pandas turns the integer columns of a side that can go unmatched into float64 (NaN there).
  const leftGaps = how === 'right' || how === 'outer';
  const rightGaps = how === 'left' || how === 'outer';
  const widen = (t: TypeDesc, gaps: boolean): TypeDesc => (gaps && t.id === 'int' ? F64 : t);
  // A key of `on` is one column: in right and outer joins, rows with no left row take the right's value.
  const fill = left.columns.map((c) => (leftGaps && leftOn.some((l, j) => l === c && rightOn[j] === c) ? c : null));
  const leftTypes = left.columns.map((c, j) => (fill[j] === null ? widen(left.typeOf(c), leftGaps) : keyType(left.typeOf(c), right.typeOf(c))));
  const rightTypes = rightCols.map((c) => widen(right.typeOf(c), rightGaps));
  return {
    spec: { how, leftOn, rightOn, left: leftOut, right: rightOut, leftTypes, rightTypes, fill },
    names,
    types: [...leftTypes, ...rightTypes],
  };
}

const columns: OptionRule = { anyOf: ['string', 'array'] };
const MERGE_OPTIONS: OptionSchema<MergeOptions> = refusing<MergeOptions>(
  {
    on: columns,
    leftOn: columns,
    rightOn: columns,
    how: { oneOf: [...HOWS, 'cross'] },
    suffixes: (v) => (Array.isArray(v) && v.length === 2 && v.every((s) => typeof s === 'string') ? undefined : 'two strings'),
    npartitions: intAtLeast(1),
    leftIndex: 'boolean',
    rightIndex: 'boolean',
    shuffleMethod: shuffleMethodRule,
  },
  { indicator: NOT_YET, validate: NOT_YET, sort: NOT_YET, broadcast: NOT_YET },
);

export function merge(left: DataFrame, right: DataFrame, options?: MergeOptions, method = 'merge'): DataFrame {
  const opts = checkOptions(method, options, MERGE_OPTIONS);
  if (!(left instanceof DataFrame) || !(right instanceof DataFrame)) throw new TypeError(`${method}: both sides must be DataFrames`);
  if (opts.how === 'cross' || opts.leftIndex || opts.rightIndex) return mergeSpecial(left, right, opts, method);
  const { spec, names, types } = plan(left, right, opts as MergeOptions & { how?: JoinHow }, method);
  const join = dataframeOps.joinPieces;
  // A side can be broadcast only when the join drops its unmatched rows: each partition of the
  // other side meets all of it, so its unmatched rows would come out once per partition. When
  // both sides are single partitions, the one task sees everything and any join is right.
  const single = left.npartitions === 1 && right.npartitions === 1;
  const broadcastRight = right.npartitions === 1 && (spec.how === 'inner' || spec.how === 'left' || single);
  const broadcastLeft = !broadcastRight && left.npartitions === 1 && (spec.how === 'inner' || spec.how === 'right');
  if (broadcastRight || broadcastLeft) {
    const many = broadcastRight ? left : right;
    const name = opName('merge-broadcast', left.name, right.name, spec);
    const layer = new FrameLayer(name, 'merge', function* () {
      for (let i = 0; i < many.npartitions; i++) {
        const l = broadcastRight ? partitionKey(left.name, i) : partitionKey(left.name, 0);
        const r = broadcastRight ? partitionKey(right.name, 0) : partitionKey(right.name, i);
        yield join.task(partitionKey(name, i), arr([ref(l)]), arr([ref(r)]), lit(spec));
      }
    });
    return new DataFrame(name, many.npartitions, layerNode(layer, [left.layer, right.layer]), null, { names, types, index: null });
  }
  const n = opts.npartitions ?? Math.max(left.npartitions, right.npartitions);
  const shuffle = shuffleMethodOf(method, opts.shuffleMethod);
  const name = shuffle === 'p2p' ? opName('merge-hash', left.name, right.name, spec, n, shuffle) : opName('merge-hash', left.name, right.name, spec, n);
  const ls = `${name}-left`;
  const rs = `${name}-right`;
  const layer = new FrameLayer(name, 'merge', () => {
    const l = shuffleStage(ls, left.npartitions, n, (key, i) => dataframeOps.hashSplit.task(key, ref(partitionKey(left.name, i)), lit(spec.leftOn), lit(n)), shuffle);
    const r = shuffleStage(rs, right.npartitions, n, (key, i) => dataframeOps.hashSplit.task(key, ref(partitionKey(right.name, i)), lit(spec.rightOn), lit(n)), shuffle);
    const tasks: TaskNode[] = [...l.tasks, ...r.tasks];
    for (let b = 0; b < n; b++) tasks.push(join.task(partitionKey(name, b), l.pieces(b), r.pieces(b), lit(spec)));
    return tasks;
  });
  return new DataFrame(name, n, layerNode(layer, [left.layer, right.layer]), null, { names, types, index: null });
}

/** Cross joins and joins on both indexes: no key columns, so `on`, `leftOn`, `rightOn` are refused (as pandas). */
function mergeSpecial(left: DataFrame, right: DataFrame, opts: MergeOptions, method: string): DataFrame {
  const keys = (['on', 'leftOn', 'rightOn'] as const).filter((k) => opts[k] !== undefined);
  const suffixes = opts.suffixes ?? ['_x', '_y'];
  if (opts.how === 'cross') {
    // pandas: "Can not pass on, right_on, left_on or set right_index=True or left_index=True".
    const bad = [...keys, ...(opts.leftIndex ? ['leftIndex'] : []), ...(opts.rightIndex ? ['rightIndex'] : [])];
    if (bad.length) throw new TypeError(`${method}: a cross join takes no keys; can not pass ${bad.join(', ')} with how: 'cross' (as pandas)`);
    if (opts.npartitions !== undefined) throw new TypeError(`${method}: npartitions applies to shuffle joins; a cross join keeps the partitions of the side that is not broadcast`);
    return crossJoin(left, right, suffixes, method);
  }
  if (!opts.leftIndex || !opts.rightIndex) {
    throw new TypeError(`${method}: ${opts.leftIndex ? 'leftIndex' : 'rightIndex'} with key columns on the other side is ${NOT_YET}; give both leftIndex and rightIndex (a join on the indexes), or merge on columns`);
  }
  if (keys.length) throw new TypeError(`${method}: leftIndex and rightIndex join on the indexes; do not pass ${keys.join(', ')} with them`);
  if (opts.npartitions !== undefined) throw new TypeError(`${method}: npartitions applies to merges on columns; a join on the indexes follows the divisions (or the larger side's partitions when they are unknown)`);
  return joinIndex(left, right, { how: (opts.how ?? 'inner') as JoinHow, lsuffix: suffixes[0], rsuffix: suffixes[1] }, method);
}
