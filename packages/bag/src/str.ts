/**
 * `bag.str`: Python's string methods mapped over a bag of strings (Dask's `Bag.str`), and
 * `match`, a filter by fnmatch pattern. Each is one fused element-wise step (a `map`, or a
 * `filter` for `match`) whose function is a built-in operation (ops/str.ts).
 */
import type { Bag } from './bag';
import { bagOps } from './ops';

export class StringAccessor {
  /** @internal Made by `bag.str`. */
  constructor(private readonly bag: Bag<unknown>) {}

  lower(): Bag<string> {
    return this.bag.map(bagOps.strLower.fn);
  }

  upper(): Bag<string> {
    return this.bag.map(bagOps.strUpper.fn);
  }

  /** The first character upper-case, the rest lower-case (Python's capitalize). */
  capitalize(): Bag<string> {
    return this.bag.map(bagOps.strCapitalize.fn);
  }

  /** Each word upper-case first, lower-case after (Python's title). */
  title(): Bag<string> {
    return this.bag.map(bagOps.strTitle.fn);
  }

  /** Without leading and trailing whitespace (Python's), or characters of `chars`. */
  strip(chars: string | null = null): Bag<string> {
    return this.bag.map(bagOps.strStrip.fn, chars);
  }

  lstrip(chars: string | null = null): Bag<string> {
    return this.bag.map(bagOps.strLstrip.fn, chars);
  }

  rstrip(chars: string | null = null): Bag<string> {
    return this.bag.map(bagOps.strRstrip.fn, chars);
  }

  /**
   * Python's split: with no `sep` (or null), on runs of whitespace, dropping empty pieces; with
   * `sep`, on every occurrence. At most `maxsplit` splits (default -1: all).
   */
  split(sep: string | null = null, maxsplit = -1): Bag<string[]> {
    return this.bag.map(bagOps.strSplit.fn, sep, maxsplit);
  }

  /** split from the right (differs from split only with a maxsplit). */
  rsplit(sep: string | null = null, maxsplit = -1): Bag<string[]> {
    return this.bag.map(bagOps.strRsplit.fn, sep, maxsplit);
  }

  /** Whether each string starts with `prefix` (or with one of an array of prefixes). */
  startswith(prefix: string | readonly string[]): Bag<boolean> {
    return this.bag.map(bagOps.strStartswith.fn, prefix);
  }

  endswith(suffix: string | readonly string[]): Bag<boolean> {
    return this.bag.map(bagOps.strEndswith.fn, suffix);
  }

  /** `old` replaced by `replacement`, the first `count` occurrences (default -1: all). */
  replace(old: string, replacement: string, count = -1): Bag<string> {
    return this.bag.map(bagOps.strReplace.fn, old, replacement, count);
  }

  /** Non-overlapping occurrences of `sub`. */
  count(sub: string): Bag<number> {
    return this.bag.map(bagOps.strCount.fn, sub);
  }

  /** The first position of `sub` in characters (code points), or -1. */
  find(sub: string): Bag<number> {
    return this.bag.map(bagOps.strFind.fn, sub);
  }

  /**
   * The strings that match a shell-style pattern (Python's fnmatch, case-sensitive): `*` any
   * text, `?` one character, `[abc]`, `[a-z]`, `[!abc]` one of / none of.
   */
  match(pattern: string): Bag<string> {
    if (typeof pattern !== 'string') throw new TypeError(`Bag.str.match: pattern must be a string, got ${typeof pattern}`);
    return this.bag.filter(bagOps.strMatch.fn, pattern) as Bag<string>;
  }
}
