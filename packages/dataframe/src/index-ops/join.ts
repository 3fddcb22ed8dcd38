/**
 * join on the index (pandas' DataFrame.join, Dask's merge of indexed frames): both sides are
 * brought to the union of their divisions, then each pair of partitions is joined by label; with
 * unknown divisions on a side, a hash join on the index (join-hash.ts), as Dask falls back to.
 */
import { checkOptions, lit, ref, type OptionSchema } from '@pdask/core';
import { partitionwise } from '../base';
import { DataFrame } from '../frame';
import { partitionKey } from '../graph';
import { dataframeOps } from '../ops/index';
import type { LabelHow } from '../ops/label-join';
import type { TypeDesc } from '../ops/types';
import { NOT_YET, refusing } from '../options';
import { Series } from '../series';
import { withExplicitIndex } from './common';
import { hashJoinOnIndex } from './join-hash';
import type { IndexMeta } from '../base';
import { sameDivisions, unionDivisions } from './divisions';
import { toDivisions } from './repartition';

export interface JoinOptions {
  /** 'left' (default), 'right', 'inner' or 'outer', as pandas' join. */
  how?: LabelHow;
  /** Added to the names of the left's columns also found on the right. */
  lsuffix?: string;
  /** Added to the names of the right's columns also found on the left. */
  rsuffix?: string;
}

const JOIN_OPTIONS: OptionSchema<JoinOptions> = refusing<JoinOptions>(
  { how: (v) => (['left', 'right', 'inner', 'outer'].includes(v as string) ? undefined : "'left', 'right', 'inner' or 'outer'"), lsuffix: 'string', rsuffix: 'string' },
  { on: `${NOT_YET}: join is on the index; use merge for columns`, sort: NOT_YET, validate: NOT_YET, npartitions: NOT_YET, shuffle: NOT_YET },
);

const F64: TypeDesc = { id: 'float', bits: 64 };

export function joinIndex(left: DataFrame, other: DataFrame | Series, options: JoinOptions | undefined, method = 'DataFrame.join'): DataFrame {
  const opts = checkOptions(method, options, JOIN_OPTIONS);
  const how = opts.how ?? 'left';
  const right = other instanceof Series ? other.toFrame() : other;
  if (!(right instanceof DataFrame)) throw new TypeError(`${method}: expected a DataFrame or a Series to join with`);
  const overlap = left.columns.filter((c) => right.columns.includes(c));
  const [ls, rs] = [opts.lsuffix ?? '', opts.rsuffix ?? ''];
  if (overlap.length && !ls && !rs) throw new Error(`${method}: columns overlap but no suffix specified: ${overlap.map((c) => `'${c}'`).join(', ')} (give lsuffix or rsuffix)`);
  const leftNames = left.columns.map((c) => (overlap.includes(c) ? c + ls : c));
  const rightNames = right.columns.map((c) => (overlap.includes(c) ? c + rs : c));
  const all = [...leftNames, ...rightNames];
  const dup = all.find((c, i) => all.indexOf(c) !== i);
  if (dup !== undefined) throw new Error(`${method}: the suffixes give two columns named '${dup}'`);
  let x = withExplicitIndex(left, method);
  let y = withExplicitIndex(right, method);
  if (x.divisions === null || y.divisions === null) return hashJoin(x, y, how, left, right, leftNames, rightNames);
  if (!sameDivisions(x.divisions, y.divisions)) {
    let union = unionDivisions(x.divisions!, y.divisions!);
    if (union.length === 1) union = [union[0], union[0]];
    x = toDivisions(x, union, true, method);
    y = toDivisions(y, union, true, method);
  }
  const { types, toFloat, indexMeta } = joinedMeta(x, y, how, left, right, leftNames, rightNames);
  const [sx, sy] = [x, y];
  const { name, layer } = partitionwise([sx, sy], {
    kind: 'join-index',
    token: [how, leftNames, rightNames],
    task: (key, i) => dataframeOps.joinOnIndex.task(key, ref(partitionKey(sx.name, i)), ref(partitionKey(sy.name, i)), lit(how), lit(leftNames), lit(rightNames), lit(toFloat)),
  });
  return new DataFrame(name, x.npartitions, layer, x.divisions, { names: all, types, index: indexMeta });
}

/** The joined columns' types (integers of a side that can go unmatched made float64) and the index. */
function joinedMeta(x: DataFrame, y: DataFrame, how: LabelHow, left: DataFrame, right: DataFrame, leftNames: string[], rightNames: string[]): { types: TypeDesc[]; toFloat: string[]; indexMeta: IndexMeta } {
  const all = [...leftNames, ...rightNames];
  const leftMayMiss = how === 'right' || how === 'outer';
  const rightMayMiss = how === 'left' || how === 'outer';
  const widen = (t: TypeDesc, may: boolean): TypeDesc => (may && t.id === 'int' ? F64 : t);
  const types = [...left.columns.map((c) => widen(left.typeOf(c), leftMayMiss)), ...right.columns.map((c) => widen(right.typeOf(c), rightMayMiss))];
  const toFloat = all.filter((_, j) => types[j] === F64 && (j < leftNames.length ? left.typeOf(left.columns[j]) : right.typeOf(right.columns[j - leftNames.length])).id === 'int');
  const [ix, iy] = [x.meta.index!.levels[0], y.meta.index!.levels[0]];
  const indexType = JSON.stringify(ix.type) === JSON.stringify(iy.type) ? ix.type : F64;
  return { types, toFloat, indexMeta: { levels: [{ type: indexType, name: ix.name === iy.name ? ix.name : null }] } };
}

/** Unknown divisions on a side: Dask's hash join on the index (join-hash.ts). */
function hashJoin(x: DataFrame, y: DataFrame, how: LabelHow, left: DataFrame, right: DataFrame, leftNames: string[], rightNames: string[]): DataFrame {
  const { types, toFloat, indexMeta } = joinedMeta(x, y, how, left, right, leftNames, rightNames);
  return hashJoinOnIndex(x, y, { how, leftNames, rightNames, toFloat, meta: { names: [...leftNames, ...rightNames], types, index: indexMeta } });
}
