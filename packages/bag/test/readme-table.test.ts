/**
 * The README's Dask -> pdask spelling table keeps up with the package: every export appears in its
 * pdask column as `db.<name>`, every public member of Bag as `b.<name>`, of its `str` accessor as
 * `b.str.<name>` and of Item as `item.<name>`; and everything the column names exists.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dottedPaths, members, pdaskColumn } from '../../../test/helpers/readme-table';
import * as db from '../src/index';

const firstNames = (paths: Set<string>): Set<string> => new Set([...paths].map((p) => p.split('.')[0]));
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');


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
