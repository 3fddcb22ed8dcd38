/**
 * merge (Dask's dd.merge) on key columns, inner or left. When one side is a single partition it is
 * broadcast: each partition of the other side is joined with it, one task each. Otherwise both
 * sides are hash partitioned on their keys into the same number of buckets (split tasks, then one
 * task per piece), and bucket b of the left is joined with bucket b of the right.
 */
import { layerNode, lit, ref, taskNode, toOpRef, type ArgSpec, type TaskNode } from '@pdask/core';
import { DataFrame } from './frame';
import { FrameLayer, checkNpartitions, opName, partitionKey } from './graph';
import { checkColumn } from './meta';
import { joinPieces, type JoinSpec } from './ops/join';
import { hashSplit, pickPiece } from './ops/shuffle';
import { dtypeName, type TypeDesc } from './ops/types';

export interface MergeOptions {
  /** Key column(s) of both sides. */
  on?: string | readonly string[];
  /** Key column(s) of the left side (with rightOn, instead of on). */
  leftOn?: string | readonly string[];
  rightOn?: string | readonly string[];
  /** 'inner' (default): matching rows only; 'left': every left row, missing values where no right row matches. */
  how?: 'inner' | 'left';
  /** Added to column names found on both sides (default ['_x', '_y'], as pandas). */
  suffixes?: readonly [string, string];
  /** Output partitions of a shuffle join (default: the larger side's number of partitions). */
  npartitions?: number;
}

const F64: TypeDesc = { id: 'float', bits: 64 };
const asList = (x: string | readonly string[]): string[] => (typeof x === 'string' ? [x] : [...x]);

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

function plan(left: DataFrame, right: DataFrame, opts: MergeOptions, method: string): Plan {
  const how = opts.how ?? 'inner';
  if (how !== 'inner' && how !== 'left') throw new TypeError(`${method}: how must be 'inner' or 'left', got ${JSON.stringify(how)} (right and outer joins are not supported)`);
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
  // pandas turns integer columns of the right into float64 in a left join (missing rows are NaN).
  const rightTypes = rightCols.map((c) => {
    const t = right.typeOf(c);
    return how === 'left' && t.id === 'int' ? F64 : t;
  });
  return {
    spec: { how, leftOn, rightOn, left: leftOut, right: rightOut, rightTypes },
    names,
    types: [...left.columns.map((c) => left.typeOf(c)), ...rightTypes],
  };
}

const arr = (items: ArgSpec[]): ArgSpec => ({ t: 'arr', items });

/** Split tasks of one side and one task per piece: keys `${name}-piece-${i}-${b}`. */
function shuffleTasks(name: string, side: DataFrame, keys: readonly string[], n: number): TaskNode[] {
  const split = toOpRef(hashSplit);
  const pick = toOpRef(pickPiece);
  const tasks: TaskNode[] = [];
  for (let i = 0; i < side.npartitions; i++) {
    const key = `${name}-split-${i}`;
    tasks.push(taskNode(key, split, [ref(partitionKey(side.name, i)), lit(keys), lit(n)]));
    for (let b = 0; b < n; b++) tasks.push(taskNode(`${name}-piece-${i}-${b}`, pick, [ref(key), lit(b)]));
  }
  return tasks;
}

export function merge(left: DataFrame, right: DataFrame, opts: MergeOptions = {}, method = 'merge'): DataFrame {
  if (!(left instanceof DataFrame) || !(right instanceof DataFrame)) throw new TypeError(`${method}: both sides must be DataFrames`);
  const { spec, names, types } = plan(left, right, opts, method);
  const join = toOpRef(joinPieces);
  const broadcastRight = right.npartitions === 1;
  // Each right partition can be joined with the whole left only when unmatched left rows are dropped.
  const broadcastLeft = !broadcastRight && left.npartitions === 1 && spec.how === 'inner';
  if (broadcastRight || broadcastLeft) {
    const many = broadcastRight ? left : right;
    const name = opName('merge-broadcast', left.name, right.name, spec);
    const layer = new FrameLayer(name, 'merge', function* () {
      for (let i = 0; i < many.npartitions; i++) {
        const l = broadcastRight ? partitionKey(left.name, i) : partitionKey(left.name, 0);
        const r = broadcastRight ? partitionKey(right.name, 0) : partitionKey(right.name, i);
        yield taskNode(partitionKey(name, i), join, [arr([ref(l)]), arr([ref(r)]), lit(spec)]);
      }
    });
    return new DataFrame(name, many.npartitions, layerNode(layer, [left.layer, right.layer]), null, { names, types, index: null });
  }
  const n = opts.npartitions === undefined ? Math.max(left.npartitions, right.npartitions) : checkNpartitions(opts.npartitions, method);
  const name = opName('merge-hash', left.name, right.name, spec, n);
  const ls = `${name}-left`;
  const rs = `${name}-right`;
  const layer = new FrameLayer(name, 'merge', () => {
    const tasks = [...shuffleTasks(ls, left, spec.leftOn, n), ...shuffleTasks(rs, right, spec.rightOn, n)];
    for (let b = 0; b < n; b++) {
      const lp = Array.from({ length: left.npartitions }, (_, i) => ref(`${ls}-piece-${i}-${b}`));
      const rp = Array.from({ length: right.npartitions }, (_, i) => ref(`${rs}-piece-${i}-${b}`));
      tasks.push(taskNode(partitionKey(name, b), join, [arr(lp), arr(rp), lit(spec)]));
    }
    return tasks;
  });
  return new DataFrame(name, n, layerNode(layer, [left.layer, right.layer]), null, { names, types, index: null });
}
