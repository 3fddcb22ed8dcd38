/**
 * `series.str` (pandas' StringMethods) of a string or category series. Results keep missing
 * values missing; tests (contains, startswith, …) give bool with nulls there unless `na` is given.
 */
import { checkOptions, lit, ref, type OptionSchema } from '@pdask/core';
import { checkAligned, partitionwise } from '../base';
import { DataFrame } from '../frame';
import { partitionKey } from '../graph';
import { dataframeOps } from '../ops/index';
import type { StrOp } from '../ops/str-ops';
import type { TypeDesc } from '../ops/types';
import { Series } from '../series';
import { mapSeries, outName } from './column-map';

const STRING: TypeDesc = { id: 'utf8' };
const BOOL: TypeDesc = { id: 'bool' };
const I32: TypeDesc = { id: 'int', bits: 32, signed: true };

export interface ContainsOptions {
  /** The pattern is a regular expression (default true, as pandas). */
  regex?: boolean;
  /** Case-sensitive (default true). */
  case?: boolean;
  /** The result for missing values (default: missing). */
  na?: boolean;
}
export interface MatchOptions {
  case?: boolean;
  na?: boolean;
}
export interface ReplaceOptions {
  /** The pattern is a regular expression. pandas 1.5's default: true, except for a one-character pattern. */
  regex?: boolean;
  case?: boolean;
  /** At most this many replacements per value (default -1: all). */
  n?: number;
}
export interface SplitOptions {
  /** Maximum number of splits; required with expand, as in Dask (the columns must be known). */
  n: number;
  /** Only expand: true is implemented (a frame of columns '0'…'n'). */
  expand: true;
}
export interface CatOptions {
  /** Between the values (default ''). */
  sep?: string;
}

const bool = (v: unknown): string | undefined => (typeof v === 'boolean' ? undefined : 'true or false');
const CONTAINS: OptionSchema<ContainsOptions> = { regex: bool, case: bool, na: bool, flags: { unsupported: 'give case: false, or inline flags in the pattern' } } as OptionSchema<ContainsOptions>;
const MATCH: OptionSchema<MatchOptions> = { case: bool, na: bool, flags: { unsupported: 'give case: false' } } as OptionSchema<MatchOptions>;
const REPLACE: OptionSchema<ReplaceOptions> = { regex: bool, case: bool, n: (v) => (Number.isInteger(v) ? undefined : 'an integer'), flags: { unsupported: 'give case: false' } } as OptionSchema<ReplaceOptions>;
const SPLIT: OptionSchema<SplitOptions> = { n: (v) => (Number.isInteger(v) && (v as number) >= 0 ? undefined : 'a non-negative integer'), expand: (v) => (v === true ? undefined : 'true (lists, expand: false, are not implemented: see the README)'), pat: { unsupported: 'give the separator as the first argument' }, regex: { unsupported: 'the separator is a plain string' } } as OptionSchema<SplitOptions>;
const CAT: OptionSchema<CatOptions> = { sep: 'string', naRep: { unsupported: 'missing values give missing results' }, join: { unsupported: 'series are combined by position' } } as OptionSchema<CatOptions>;

export class StringAccessor {
  /** @internal Made by `series.str`. */
  constructor(private readonly s: Series) {
    const t = s.typeDesc;
    if (t.id !== 'utf8' && t.id !== 'dict') throw new TypeError(`Series.str: series '${s.seriesName}' has dtype ${s.dtype}; .str needs string values (astype('string') first)`);
  }

  private apply(spec: StrOp, type: TypeDesc, others: readonly Series[] = []): Series {
    return mapSeries(
      this.s,
      `str-${spec.op}`,
      [spec, others.map((o) => o.name)],
      type,
      (key, part, i) => dataframeOps.strColumn.task(key, part, lit(this.s.seriesName), lit(spec), { t: 'arr', items: others.map((o) => ({ t: 'obj', entries: [['part', ref(partitionKey(o.name, i))], ['column', lit(o.seriesName)]] })) }, outName(this.s)),
      others,
    );
  }

  lower(): Series { return this.apply({ op: 'lower' }, STRING); }
  upper(): Series { return this.apply({ op: 'upper' }, STRING); }
  /** Lengths in code points, as Python's len (int32; missing stays missing). */
  len(): Series { return this.apply({ op: 'len' }, I32); }
  strip(chars: string | null = null): Series { return this.apply({ op: 'strip', chars: textOrNull(chars, 'strip') }, STRING); }
  lstrip(chars: string | null = null): Series { return this.apply({ op: 'lstrip', chars: textOrNull(chars, 'lstrip') }, STRING); }
  rstrip(chars: string | null = null): Series { return this.apply({ op: 'rstrip', chars: textOrNull(chars, 'rstrip') }, STRING); }

  contains(pat: string, opts?: ContainsOptions): Series {
    const o = checkOptions('Series.str.contains', opts, CONTAINS);
    return this.apply({ op: 'contains', pat: text(pat, 'contains'), regex: o.regex ?? true, case: o.case ?? true, na: o.na ?? null }, BOOL);
  }
  startswith(pat: string, opts?: { na?: boolean }): Series {
    const o = checkOptions('Series.str.startswith', opts, { na: bool } as OptionSchema<{ na?: boolean }>);
    return this.apply({ op: 'startswith', pat: text(pat, 'startswith'), na: o.na ?? null }, BOOL);
  }
  endswith(pat: string, opts?: { na?: boolean }): Series {
    const o = checkOptions('Series.str.endswith', opts, { na: bool } as OptionSchema<{ na?: boolean }>);
    return this.apply({ op: 'endswith', pat: text(pat, 'endswith'), na: o.na ?? null }, BOOL);
  }
  /** The regular expression matches at the start of the value (Python's re.match). */
  match(pat: string, opts?: MatchOptions): Series {
    const o = checkOptions('Series.str.match', opts, MATCH);
    return this.apply({ op: 'match', pat: text(pat, 'match'), case: o.case ?? true, na: o.na ?? null }, BOOL);
  }
  replace(pat: string, repl: string, opts?: ReplaceOptions): Series {
    const o = checkOptions('Series.str.replace', opts, REPLACE);
    const p = text(pat, 'replace');
    return this.apply({ op: 'replace', pat: p, repl: text(repl, 'replace'), regex: o.regex ?? p.length > 1, case: o.case ?? true, n: o.n ?? -1 }, STRING);
  }
  /** Python's s[start:stop:step] of each value. */
  slice(start: number | null = null, stop: number | null = null, step: number | null = null): Series {
    for (const x of [start, stop, step]) if (x !== null && !Number.isInteger(x)) throw new TypeError(`Series.str.slice: start, stop and step must be integers or null, got ${String(x)}`);
    if (step === 0) throw new RangeError('Series.str.slice: step cannot be zero');
    return this.apply({ op: 'slice', start, stop, step }, STRING);
  }
  /** The first group of the first match (missing where nothing matches), as pandas' extract(pat, expand=False) with one group. */
  extract(pat: string, opts?: { expand?: false }): Series {
    checkOptions('Series.str.extract', opts, { expand: (v) => (v === false ? undefined : 'false (a frame of every group is not implemented)') } as OptionSchema<{ expand?: false }>);
    const p = text(pat, 'extract');
    if (!/\((?!\?[:=!<])|\(\?<[^=!]/.test(p)) throw new Error(`Series.str.extract: the pattern ${JSON.stringify(p)} has no capture group (pandas: "pattern contains no capture groups")`);
    return this.apply({ op: 'extract', pat: p }, STRING);
  }
  /** Values joined elementwise with those of other string series (Dask requires others). */
  cat(others: Series | readonly Series[], opts?: CatOptions): Series {
    const o = checkOptions('Series.str.cat', opts, CAT);
    const list = others instanceof Series ? [others] : others;
    if (!Array.isArray(list) || list.length === 0 || !list.every((x) => x instanceof Series)) throw new TypeError('Series.str.cat: others must be a Series or an array of them (Dask refuses cat() without others)');
    for (const x of list) {
      checkAligned(this.s, x, 'Series.str.cat');
      if (x.typeDesc.id !== 'utf8' && x.typeDesc.id !== 'dict') throw new TypeError(`Series.str.cat: series '${x.seriesName}' has dtype ${x.dtype}, not strings`);
    }
    return this.apply({ op: 'cat', sep: o.sep ?? '', others: list.length }, STRING, list);
  }
  /** Pieces as a frame of string columns '0'…'n' (expand: true, with n as Dask needs). */
  split(pat: string | null, opts: SplitOptions): DataFrame {
    const o = checkOptions('Series.str.split', opts, SPLIT);
    if (o.n === undefined || o.expand !== true) throw new TypeError("Series.str.split: give { n, expand: true } (Dask needs n to know the columns; lists, expand: false, are not implemented)");
    if (pat !== null && (typeof pat !== 'string' || pat === '')) throw new TypeError('Series.str.split: the separator must be a non-empty string or null (whitespace)');
    const spec: StrOp = { op: 'split', pat, n: o.n };
    const s = this.s;
    const { name, layer } = partitionwise([s], { kind: 'str-split', token: [spec], task: (key, i) => dataframeOps.strColumn.task(key, ref(partitionKey(s.name, i)), lit(s.seriesName), lit(spec), lit([]), lit(s.seriesName)) });
    const names = Array.from({ length: o.n + 1 }, (_, k) => String(k));
    return new DataFrame(name, s.npartitions, layer, s.divisions, { names, types: names.map(() => STRING), index: s.meta.index });
  }
}

function text(x: unknown, method: string): string {
  if (typeof x !== 'string') throw new TypeError(`Series.str.${method}: expected a string, got ${x === null ? 'null' : typeof x}`);
  return x;
}
const textOrNull = (x: unknown, method: string): string | null => (x === null ? null : text(x, method));
