/**
 * The `.str` accessor per partition, on string and category columns: missing values stay missing
 * (pandas gives NaN for them), everything else is JavaScript's string functions. Patterns are
 * JavaScript regular expressions, which agree with Python's `re` on the common syntax; Python's
 * `\1`/`\g<name>` in replacements are accepted and mean JavaScript's `$1`/`$<name>`.
 */
import { Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import { withIndex } from './elementwise';
import { findColumn } from './frame';
import { batchOf, decodePart, encodeBatch, type Part } from './part';
import { numbersAs } from './results';
import { indexColumnsOf } from './spec';
import { boolVector } from './values';

export type StrOp =
  | { op: 'lower' | 'upper' | 'len' }
  | { op: 'strip' | 'lstrip' | 'rstrip'; chars: string | null }
  | { op: 'contains'; pat: string; regex: boolean; case: boolean; na: boolean | null }
  | { op: 'startswith' | 'endswith'; pat: string; na: boolean | null }
  | { op: 'match'; pat: string; case: boolean; na: boolean | null }
  | { op: 'replace'; pat: string; repl: string; regex: boolean; case: boolean; n: number }
  | { op: 'slice'; start: number | null; stop: number | null; step: number | null }
  | { op: 'extract'; pat: string }
  | { op: 'cat'; sep: string; others: number }
  | { op: 'split'; pat: string | null; n: number };

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Python's replacement syntax (`\1`, `\g<1>`, `\g<name>`) in JavaScript's ($1, $<name>). */
const jsReplacement = (repl: string): string => repl.replace(/\$/g, '$$$$').replace(/\\g<(\d+)>/g, '$$$1').replace(/\\g<(\w+)>/g, '$$<$1>').replace(/\\(\d)/g, '$$$1');

/** Python's str.strip(chars): the characters of `chars` (whitespace when null) at either end. */
function stripper(op: 'strip' | 'lstrip' | 'rstrip', chars: string | null): (s: string) => string {
  const set = chars === null ? '\\s' : escape(chars).replace(/-/g, '\\-');
  const left = new RegExp(`^[${set}]+`, 'u');
  const right = new RegExp(`[${set}]+$`, 'u');
  return (s) => (op === 'rstrip' ? s : s.replace(left, '')).replace(op === 'lstrip' ? /$^/ : right, '');
}

/** Python's s[start:stop:step] over code points. */
function pySlice(s: string, start: number | null, stop: number | null, step: number | null): string {
  const cs = Array.from(s);
  const n = cs.length;
  const st = step ?? 1;
  const norm = (x: number | null, dflt: number): number => (x === null ? dflt : x < 0 ? Math.max(x + n, st < 0 ? -1 : 0) : Math.min(x, st < 0 ? n - 1 : n));
  let out = '';
  if (st > 0) for (let i = norm(start, 0); i < norm(stop, n); i += st) out += cs[i];
  else for (let i = norm(start, n - 1); i > norm(stop, -1); i += st) out += cs[i];
  return out;
}

const strings = (v: Vector): (string | null)[] => Array.from({ length: v.length }, (_, i) => v.get(i) as string | null);

/** Bools of a test; missing values give `na` (null: missing, as pandas' NaN). */
function boolsOf(xs: readonly (string | null)[], test: (s: string) => boolean, na: boolean | null): Vector {
  if (na === null && xs.includes(null)) return vectorFromArray(xs.map((s) => (s === null ? null : test(s))));
  return boolVector(Uint8Array.from(xs, (s) => (s === null ? (na ? 1 : 0) : test(s) ? 1 : 0)));
}

const textVector = (xs: readonly (string | null)[]): Vector => vectorFromArray(xs as (string | null)[], new Utf8());

export const strColumn = (part: Part, column: string, spec: StrOp, others: readonly { part: Part; column: string }[], name: string): Part => {
  const b = decodePart(part);
  const xs = strings(findColumn(b, column));
  const map = (f: (s: string) => string | null): Vector => textVector(xs.map((s) => (s === null ? null : f(s))));
  let out: Vector;
  switch (spec.op) {
    case 'lower':
      out = map((s) => s.toLowerCase());
      break;
    case 'upper':
      out = map((s) => s.toUpperCase());
      break;
    case 'len':
      out = numbersAs(Float64Array.from(xs, (s) => (s === null ? NaN : Array.from(s).length)), { id: 'int', bits: 32, signed: true });
      break;
    case 'strip':
    case 'lstrip':
    case 'rstrip':
      out = map(stripper(spec.op, spec.chars));
      break;
    case 'contains': {
      const re = spec.regex ? new RegExp(spec.pat, spec.case ? 'u' : 'iu') : null;
      const pat = spec.case ? spec.pat : spec.pat.toLowerCase();
      out = boolsOf(xs, re ? (s) => re.test(s) : spec.case ? (s) => s.includes(pat) : (s) => s.toLowerCase().includes(pat), spec.na);
      break;
    }
    case 'startswith':
      out = boolsOf(xs, (s) => s.startsWith(spec.pat), spec.na);
      break;
    case 'endswith':
      out = boolsOf(xs, (s) => s.endsWith(spec.pat), spec.na);
      break;
    case 'match': {
      // re.match: anchored at the start only.
      const re = new RegExp(spec.pat, spec.case ? 'yu' : 'iyu');
      out = boolsOf(xs, (s) => ((re.lastIndex = 0), re.test(s)), spec.na);
      break;
    }
    case 'replace': {
      const flags = (spec.case ? '' : 'i') + 'u' + (spec.n < 0 ? 'g' : '');
      const re = new RegExp(spec.regex ? spec.pat : escape(spec.pat), flags + (spec.n > 0 ? 'g' : ''));
      const repl = spec.regex ? jsReplacement(spec.repl) : spec.repl.replace(/\$/g, '$$$$');
      if (spec.n > 0) {
        out = map((s) => {
          let k = 0;
          return s.replace(re, (...m) => (k++ < spec.n ? m[0].replace(new RegExp(re.source, re.flags.replace('g', '')), repl) : m[0]));
        });
      } else out = map((s) => s.replace(re, repl));
      break;
    }
    case 'slice':
      out = map((s) => pySlice(s, spec.start, spec.stop, spec.step));
      break;
    case 'extract': {
      const re = new RegExp(spec.pat, 'u');
      out = map((s) => {
        const m = re.exec(s);
        return m ? (m[1] ?? null) : null;
      });
      break;
    }
    case 'cat': {
      const cols = others.map((o) => strings(findColumn(decodePart(o.part), o.column)));
      for (const c of cols) if (c.length !== xs.length) throw new RangeError(`str.cat: the series have ${xs.length} and ${c.length} rows in this partition: they must be partitioned alike`);
      // pandas: a missing value in any of them makes the result missing (na_rep=None).
      out = textVector(xs.map((s, i) => (s === null || cols.some((c) => c[i] === null) ? null : [s, ...cols.map((c) => c[i] as string)].join(spec.sep))));
      break;
    }
    case 'split': {
      // expand=True: one column per piece, named 0…n (Dask needs n to know the columns).
      const pieces = xs.map((s) => (s === null ? null : pySplit(s, spec.pat, spec.n)));
      const idx = indexColumnsOf(b.names);
      const names = Array.from({ length: spec.n + 1 }, (_, k) => String(k));
      const vecs = names.map((_, k) => textVector(pieces.map((ps) => (ps === null ? null : (ps[k] ?? null)))));
      return encodeBatch(batchOf([...idx, ...names], [...idx.map((c) => findColumn(b, c)), ...vecs]));
    }
  }
  return withIndex(b, name, out);
};

/** Python's str.split(sep, maxsplit): whitespace runs when sep is null. */
function pySplit(s: string, sep: string | null, n: number): string[] {
  if (sep === null) {
    const words = s.trim().split(/\s+/).filter((w) => w !== '');
    if (words.length <= n + 1) return words;
    // maxsplit: the rest of the string after n splits, leading whitespace dropped.
    let rest = s.trimStart();
    const out: string[] = [];
    for (let k = 0; k < n; k++) {
      const m = /\s+/.exec(rest)!;
      out.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return [...out, rest];
  }
  const parts = s.split(sep);
  return parts.length <= n + 1 ? parts : [...parts.slice(0, n), parts.slice(n).join(sep)];
}
