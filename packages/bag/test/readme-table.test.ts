/**
 * The README's Dask -> pdask spelling table keeps up with the package: every export appears in its
 * pdask column as `db.<name>`, every public member of Bag as `b.<name>`, of its `str` accessor as
 * `b.str.<name>` and of Item as `item.<name>`; and everything the column names exists.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as db from '../src/index';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The code spans of the pdask column (the second) of the table under `heading`. */
function pdaskColumn(readme: string, heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no section '${heading}'`);
  const end = readme.indexOf('\n## ', start + heading.length + 2);
  const rows = readme
    .slice(start, end < 0 ? undefined : end)
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|[-| ]+\|$/.test(l));
  const cells = rows.slice(1).map((r) => r.split(/(?<!\\)\|/)[2] ?? '');
  return cells.map((c) => [...c.matchAll(/`([^`]+)`/g)].map((m) => m[1]).join(' ')).join('\n');
}

/** `root.a.b` paths named in the code. */
const dottedPaths = (code: string, root: string): Set<string> =>
  new Set([...code.matchAll(new RegExp(`(?<![\\w$.])${root.replace('.', '\\.')}\\.((?:[A-Za-z_$][\\w$]*\\.)*[A-Za-z_$][\\w$]*)`, 'g'))].map((m) => m[1]));
const firstNames = (paths: Set<string>): Set<string> => new Set([...paths].map((p) => p.split('.')[0]));

/** Own methods and getters of a class and its bases, minus the private and internal ones. */
function members(cls: { prototype: object }, internal: readonly string[]): string[] {
  const out = new Set<string>();
  for (let p: object | null = cls.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const k of Object.getOwnPropertyNames(p)) if (!internal.includes(k)) out.add(k);
  }
  return [...out].sort();
}

// Implementation hooks (core's collections) and private helpers of the classes.
const INTERNAL = ['constructor', 'tokenKey', 'computeOptions', 'withLayer', 'mapLike', 'fused', 'filterLike'];
const column = pdaskColumn(README, '## Spelling Dask Bag in TypeScript');
const exported = db as unknown as Record<string, unknown>;

describe('README spelling table', () => {
  it('names every export as db.<name>', () => {
    const named = firstNames(dottedPaths(column, 'db'));
    expect(Object.keys(exported).filter((k) => !named.has(k))).toEqual([]);
  });

  it('names every public member of Bag (b.<name>), of b.str (b.str.<name>) and of Item (item.<name>)', () => {
    const bag = firstNames(dottedPaths(column, 'b'));
    expect([...members(db.Bag, INTERNAL), 'name', 'npartitions'].filter((k) => !bag.has(k))).toEqual([]);
    const str = firstNames(dottedPaths(column, 'b.str'));
    expect(members(db.StringAccessor, INTERNAL).filter((k) => !str.has(k))).toEqual([]);
    const item = firstNames(dottedPaths(column, 'item'));
    expect(members(db.Item, INTERNAL).filter((k) => !item.has(k))).toEqual([]);
  });

  it('names nothing that does not exist', () => {
    const b = db.fromSequence([1, 2, 3], { npartitions: 2 });
    const s = db.fromSequence(['a'], { npartitions: 1 });
    expect([...firstNames(dottedPaths(column, 'db'))].filter((k) => !(k in exported))).toEqual([]);
    expect([...firstNames(dottedPaths(column, 'b'))].filter((k) => !(k in b))).toEqual([]);
    expect([...firstNames(dottedPaths(column, 'b.str'))].filter((k) => !(k in s.str))).toEqual([]);
    expect([...firstNames(dottedPaths(column, 'item'))].filter((k) => !(k in b.sum()))).toEqual([]);
  });
});
