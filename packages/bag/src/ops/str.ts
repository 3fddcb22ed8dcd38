/**
 * The string methods of `bag.str` (Dask's StringAccessor, which calls Python's `str` methods):
 * each follows Python's semantics where JavaScript's namesake differs — `split()` on runs of
 * whitespace with a `maxsplit`, `strip(chars)`, `replace` with a count, positions in code
 * points — and `match` is `fnmatch` (POSIX: case-sensitive).
 */

function str(s: unknown, method: string): string {
  if (typeof s !== 'string') throw new TypeError(`Bag.str.${method}: the element is ${s === null ? 'null' : typeof s}, not a string`);
  return s;
}

// Python's str.isspace() characters.
const WS = '\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';
const isWs = (c: string): boolean => WS.includes(c);

function checkMax(maxsplit: number, method: string): number {
  if (!Number.isInteger(maxsplit)) throw new TypeError(`Bag.str.${method}: maxsplit must be an integer, got ${String(maxsplit)}`);
  return maxsplit < 0 ? Infinity : maxsplit;
}

export const strLower = (s: unknown): string => str(s, 'lower').toLowerCase();
export const strUpper = (s: unknown): string => str(s, 'upper').toUpperCase();

/** Python's capitalize: the first character upper-cased, the rest lower-cased. */
export const strCapitalize = (s: unknown): string => {
  const t = str(s, 'capitalize');
  const first = t.codePointAt(0);
  if (first === undefined) return t;
  const n = first > 0xffff ? 2 : 1;
  return t.slice(0, n).toUpperCase() + t.slice(n).toLowerCase();
};

const CASED = /[\p{Lowercase}\p{Uppercase}\p{Lt}]/u;

/** Python's title: each run of cased characters starts upper-case, continues lower-case. */
export const strTitle = (s: unknown): string => {
  let out = '';
  let prevCased = false;
  for (const c of str(s, 'title')) {
    if (CASED.test(c)) {
      out += prevCased ? c.toLowerCase() : c.toUpperCase();
      prevCased = true;
    } else {
      out += c;
      prevCased = false;
    }
  }
  return out;
};

function stripSet(chars: string | null | undefined, method: string): (c: string) => boolean {
  if (chars === null || chars === undefined) return isWs;
  if (typeof chars !== 'string') throw new TypeError(`Bag.str.${method}: chars must be a string or null, got ${typeof chars}`);
  const set = new Set(chars);
  return (c) => set.has(c);
}

function stripEnds(s: string, strip: (c: string) => boolean, left: boolean, right: boolean): string {
  const cs = Array.from(s);
  let a = 0;
  let b = cs.length;
  if (left) while (a < b && strip(cs[a])) a++;
  if (right) while (b > a && strip(cs[b - 1])) b--;
  return cs.slice(a, b).join('');
}

export const strStrip = (s: unknown, chars?: string | null): string => stripEnds(str(s, 'strip'), stripSet(chars, 'strip'), true, true);
export const strLstrip = (s: unknown, chars?: string | null): string => stripEnds(str(s, 'lstrip'), stripSet(chars, 'lstrip'), true, false);
export const strRstrip = (s: unknown, chars?: string | null): string => stripEnds(str(s, 'rstrip'), stripSet(chars, 'rstrip'), false, true);

/** Python's split(sep=None, maxsplit=-1). */
export const strSplit = (s: unknown, sep: string | null = null, maxsplit = -1): string[] => {
  const t = str(s, 'split');
  let left = checkMax(maxsplit, 'split');
  const out: string[] = [];
  if (sep === null || sep === undefined) {
    const n = t.length;
    let i = 0;
    while (left-- > 0) {
      while (i < n && isWs(t[i])) i++;
      if (i === n) break;
      const j = i;
      while (i < n && !isWs(t[i])) i++;
      out.push(t.slice(j, i));
    }
    while (i < n && isWs(t[i])) i++;
    if (i < n) out.push(t.slice(i));
    return out;
  }
  if (typeof sep !== 'string') throw new TypeError(`Bag.str.split: sep must be a string or null, got ${typeof sep}`);
  if (sep === '') throw new RangeError('Bag.str.split: empty separator');
  let from = 0;
  for (let i = t.indexOf(sep); i >= 0 && left-- > 0; i = t.indexOf(sep, from)) {
    out.push(t.slice(from, i));
    from = i + sep.length;
  }
  out.push(t.slice(from));
  return out;
};

/** Python's rsplit(sep=None, maxsplit=-1): splits from the right. */
export const strRsplit = (s: unknown, sep: string | null = null, maxsplit = -1): string[] => {
  const t = str(s, 'rsplit');
  let left = checkMax(maxsplit, 'rsplit');
  const out: string[] = [];
  if (sep === null || sep === undefined) {
    let i = t.length - 1;
    while (left-- > 0) {
      while (i >= 0 && isWs(t[i])) i--;
      if (i < 0) break;
      const j = i;
      while (i >= 0 && !isWs(t[i])) i--;
      out.push(t.slice(i + 1, j + 1));
    }
    while (i >= 0 && isWs(t[i])) i--;
    if (i >= 0) out.push(t.slice(0, i + 1));
    return out.reverse();
  }
  if (typeof sep !== 'string') throw new TypeError(`Bag.str.rsplit: sep must be a string or null, got ${typeof sep}`);
  if (sep === '') throw new RangeError('Bag.str.rsplit: empty separator');
  let to = t.length;
  while (left-- > 0 && to >= sep.length) {
    const i = t.lastIndexOf(sep, to - sep.length);
    if (i < 0) break;
    out.push(t.slice(i + sep.length, to));
    to = i;
  }
  out.push(t.slice(0, to));
  return out.reverse();
};

function affixes(x: string | readonly string[], method: string): readonly string[] {
  const xs = typeof x === 'string' ? [x] : x;
  if (!Array.isArray(xs) || !xs.every((a) => typeof a === 'string')) throw new TypeError(`Bag.str.${method}: expected a string or an array of strings`);
  return xs;
}

export const strStartswith = (s: unknown, prefix: string | readonly string[]): boolean => {
  const t = str(s, 'startswith');
  return affixes(prefix, 'startswith').some((p) => t.startsWith(p));
};

export const strEndswith = (s: unknown, suffix: string | readonly string[]): boolean => {
  const t = str(s, 'endswith');
  return affixes(suffix, 'endswith').some((p) => t.endsWith(p));
};

/** Python's replace(old, new, count=-1); an empty `old` inserts `new` around every character. */
export const strReplace = (s: unknown, old: string, replacement: string, count = -1): string => {
  const t = str(s, 'replace');
  if (typeof old !== 'string' || typeof replacement !== 'string') throw new TypeError('Bag.str.replace: old and new must be strings');
  let left = checkMax(count, 'replace');
  if (old === '') {
    const cs = Array.from(t);
    let out = '';
    for (let i = 0; i <= cs.length; i++) {
      if (left-- > 0) out += replacement;
      if (i < cs.length) out += cs[i];
    }
    return out;
  }
  let out = '';
  let from = 0;
  for (let i = t.indexOf(old); i >= 0 && left-- > 0; i = t.indexOf(old, from)) {
    out += t.slice(from, i) + replacement;
    from = i + old.length;
  }
  return out + t.slice(from);
};

const codePoints = (t: string, end: number): number => {
  let n = 0;
  for (let i = 0; i < end; i++) {
    const c = t.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff || i === 0 || t.charCodeAt(i - 1) < 0xd800 || t.charCodeAt(i - 1) > 0xdbff) n++;
  }
  return n;
};

/** Python's count(sub): non-overlapping occurrences (an empty `sub`: the number of characters plus one). */
export const strCount = (s: unknown, sub: string): number => {
  const t = str(s, 'count');
  if (typeof sub !== 'string') throw new TypeError('Bag.str.count: sub must be a string');
  if (sub === '') return codePoints(t, t.length) + 1;
  let n = 0;
  for (let i = t.indexOf(sub); i >= 0; i = t.indexOf(sub, i + sub.length)) n++;
  return n;
};

/** Python's find(sub): the first position (in characters, i.e. code points), or -1. */
export const strFind = (s: unknown, sub: string): number => {
  const t = str(s, 'find');
  if (typeof sub !== 'string') throw new TypeError('Bag.str.find: sub must be a string');
  const i = t.indexOf(sub);
  return i < 0 ? -1 : codePoints(t, i);
};

// ---- fnmatch --------------------------------------------------------------------------------------

const SYNTAX = /[\\^$.*+?()[\]{}|/]/g;
const patterns = new Map<string, RegExp>();

/** A character class body `pat[i, j)` (after '['), translated as Python's fnmatch.translate does. */
function classBody(pat: string, i: number, j: number): string {
  let stuff = pat.slice(i, j);
  if (!stuff.includes('-')) {
    stuff = stuff.replace(/\\/g, '\\\\');
  } else {
    const chunks: string[] = [];
    let k = pat[i] === '!' ? i + 2 : i + 1;
    for (;;) {
      k = pat.indexOf('-', k);
      if (k < 0 || k >= j) break;
      chunks.push(pat.slice(i, k));
      i = k + 1;
      k += 3;
    }
    const chunk = pat.slice(i, j);
    if (chunk) chunks.push(chunk);
    else chunks[chunks.length - 1] += '-';
    // Empty ranges (z-a) are removed, as Python does: they are invalid in a regular expression.
    for (let m = chunks.length - 1; m > 0; m--) {
      if (chunks[m - 1][chunks[m - 1].length - 1] > chunks[m][0]) {
        chunks[m - 1] = chunks[m - 1].slice(0, -1) + chunks[m].slice(1);
        chunks.splice(m, 1);
      }
    }
    stuff = chunks.map((c) => c.replace(/\\/g, '\\\\').replace(/-/g, '\\-')).join('-');
  }
  if (stuff === '') return '(?!)';
  if (stuff === '!') return '.';
  if (stuff[0] === '!') stuff = `^${stuff.slice(1)}`;
  else if (stuff[0] === '^' || stuff[0] === '[') stuff = `\\${stuff}`;
  return `[${stuff.replace(/]/g, '\\]')}]`;
}

/** Python's fnmatch.translate: `*` any text (slashes and newlines too), `?` one character, `[…]` / `[!…]` classes. */
export function fnmatchRegExp(pat: string): RegExp {
  let re = patterns.get(pat);
  if (re) return re;
  let out = '';
  const n = pat.length;
  let i = 0;
  while (i < n) {
    const c = pat[i++];
    if (c === '*') {
      if (!out.endsWith('.*')) out += '.*';
    } else if (c === '?') {
      out += '.';
    } else if (c === '[') {
      let j = i;
      if (j < n && pat[j] === '!') j++;
      if (j < n && pat[j] === ']') j++;
      while (j < n && pat[j] !== ']') j++;
      if (j >= n) {
        out += '\\[';
      } else {
        out += classBody(pat, i, j);
        i = j + 1;
      }
    } else {
      out += c.replace(SYNTAX, '\\$&');
    }
  }
  re = new RegExp(`^(?:${out})$`, 'su');
  patterns.set(pat, re);
  return re;
}

/** `fnmatch.fnmatch(s, pattern)` (case-sensitive, as on POSIX). */
export const strMatch = (s: unknown, pattern: string): boolean => fnmatchRegExp(pattern).test(str(s, 'match'));
