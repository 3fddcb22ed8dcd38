/**
 * Strict options: every public function and method of @pdask/bag that takes an options object
 * rejects a misspelt option by name (suggesting the right one), and refuses by name the options
 * Dask has that bag does not implement. The tables below must name every export and method: a
 * new one fails the coverage test until it is listed, with or without options.
 */
import { errorOf } from '../../../test/helpers/options';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OptionError } from '@pdask/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as db from '../src/index';
import { Bag, fromSequence, Item, range, readText } from '../src/index';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pdask-bag-options-'));
  writeFileSync(join(dir, 'a.txt'), 'x\ny\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Opts = Record<string, unknown>;
const b = fromSequence([1, 2, 3, 4, 5], { npartitions: 2 });
const item = b.sum();

/** Every options-taking function or method: how to call it with `opts`, a misspelling, and the option it should suggest. */
const WITH_OPTIONS: Record<string, { call: (o: Opts) => unknown; typo: string; meant: string }> = {
  fromSequence: { call: (o) => fromSequence([1, 2, 3], o), typo: 'npartition', meant: 'npartitions' },
  range: { call: (o) => range(3, { npartitions: 1, ...o } as db.RangeOptions), typo: 'npartiton', meant: 'npartitions' },
  readText: { call: (o) => readText(join(dir, 'a.txt'), o), typo: 'blockSize', meant: 'blocksize' },
  'Bag.take': { call: (o) => b.take(1, o), typo: 'warns', meant: 'warn' },
  'Bag.toTextFiles': { call: (o) => b.toTextFiles(join(dir, 'out-*.txt'), o), typo: 'lastEndLine', meant: 'lastEndline' },
  'Bag.groupby': { call: (o) => b.groupby((x) => x % 2, o), typo: 'nPartitions', meant: 'npartitions' },
  'Bag.foldby': { call: (o) => b.foldby((x) => x % 2, (a: number, x) => a + x, 0, undefined, undefined, o), typo: 'split_every', meant: 'splitEvery' },
  'Bag.reduction': { call: (o) => b.reduction((p) => p.length, (xs) => xs.length, o), typo: 'splitevery', meant: 'splitEvery' },
  'Bag.fold': { call: (o) => b.fold((a: number, x) => a + x, undefined, undefined, o), typo: 'splitEvry', meant: 'splitEvery' },
  'Bag.sum': { call: (o) => b.sum(o), typo: 'splitEvey', meant: 'splitEvery' },
  'Bag.count': { call: (o) => b.count(o), typo: 'splitEvey', meant: 'splitEvery' },
  'Bag.max': { call: (o) => b.max(o), typo: 'splitEvey', meant: 'splitEvery' },
  'Bag.min': { call: (o) => b.min(o), typo: 'splitEvey', meant: 'splitEvery' },
  'Bag.any': { call: (o) => b.any(o), typo: 'splitEvey', meant: 'splitEvery' },
  'Bag.all': { call: (o) => b.all(o), typo: 'splitEvey', meant: 'splitEvery' },
  'Bag.mean': { call: (o) => b.mean(o), typo: 'splitEvey', meant: 'splitEvery' },
  'Bag.var': { call: (o) => b.var(0, o), typo: 'splitEvey', meant: 'splitEvery' },
  'Bag.std': { call: (o) => b.std(1, o), typo: 'splitEvey', meant: 'splitEvery' },
  'Bag.frequencies': { call: (o) => b.frequencies(true, o), typo: 'splitEvey', meant: 'splitEvery' },
  'Bag.topk': { call: (o) => b.topk(2, undefined, o), typo: 'splitEvey', meant: 'splitEvery' },
  'Bag.distinct': { call: (o) => b.distinct(undefined, o), typo: 'splitEvey', meant: 'splitEvery' },
  // Checked by core's compute()/persist(), under those names.
  'Bag.compute': { call: (o) => b.compute(o), typo: 'schedular', meant: 'scheduler' },
  'Bag.persist': { call: (o) => b.persist(o), typo: 'numworkers', meant: 'numWorkers' },
  'Item.compute': { call: (o) => item.compute(o), typo: 'schedular', meant: 'scheduler' },
  'Item.persist': { call: (o) => item.persist(o), typo: 'retrys', meant: 'retries' },
  // issue 13
  'Bag.repartition': { call: (o) => b.repartition(o as never), typo: 'partitionsize', meant: 'partitionSize' },
  'Bag.randomSample': { call: (o) => b.randomSample(0.5, o), typo: 'random_state', meant: 'randomState' },
  readJson: { call: (o) => db.readJson(join(dir, 'a.txt'), o), typo: 'blockSize', meant: 'blocksize' },
  'Bag.toDataFrame': { call: (o) => b.toDataFrame(o), typo: 'colums', meant: 'columns' },
  readAvro: { call: (o) => db.readAvro(join(dir, 'a.txt'), o), typo: 'blockSize', meant: 'blocksize' },
};

/** Exports and methods that take no options object (positional arguments only). */
const WITHOUT_OPTIONS = new Set([
  'isBag',
  'fromDelayed',
  'concat',
  'zip',
  'fromModule',
  'Bag.key',
  'Bag.keys',
  'Bag.toDelayed',
  'Bag.map',
  'Bag.starmap',
  'Bag.filter',
  'Bag.remove',
  'Bag.flatten',
  'Bag.flatMap',
  'Bag.pluck',
  'Bag.mapPartitions',
  'Bag.accumulate',
  'Bag.join',
  'Bag.product',
  'Bag.toString',
  'Item.toDelayed',
  'Item.apply',
  'Item.toString',
  // visualize({ filename, … }) is core's (CollectionBase); core's visualize owns its options.
  'Bag.visualize',
  'Item.visualize',
  // issue 13
  'map',
  'mapPartitions',
  'StringAccessor',
  'Bag.str',
  'Bag.unzip',
]);

/** Public methods of a class, own and inherited (up to Object), without internals. */
function methodsOf(cls: { prototype: object; name: string }): string[] {
  const names = new Set<string>();
  for (let p = cls.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object) {
    for (const k of Object.getOwnPropertyNames(p)) if (k !== 'constructor') names.add(`${cls.name}.${k}`);
  }
  // Protected hooks of the base class and bag internals are not API.
  for (const hidden of ['tokenKey', 'computeOptions', 'withLayer', 'mapLike', 'filterLike', 'fused']) names.delete(`${cls.name}.${hidden}`);
  return [...names];
}

describe('strict options', () => {
  it('the tables cover every exported function and every method', () => {
    const api = [
      ...Object.entries(db)
        .filter(([name, v]) => typeof v === 'function' && name !== 'Bag' && name !== 'Item' && name !== 'UnshippableFunctionError')
        .map(([name]) => name),
      ...methodsOf(Bag),
      ...methodsOf(Item),
    ];
    const listed = new Set([...Object.keys(WITH_OPTIONS), ...WITHOUT_OPTIONS]);
    expect(api.filter((n) => !listed.has(n))).toEqual([]);
    expect([...listed].filter((n) => !api.includes(n))).toEqual([]);
  });

  it.each(Object.entries(WITH_OPTIONS))('%s rejects a misspelt option, naming it and suggesting the right one', async (fn, { call, typo, meant }) => {
    const e = await errorOf(() => call({ [typo]: 2 }));
    expect(e).toBeInstanceOf(OptionError);
    expect((e as Error).message).toContain(`unknown option '${typo}'`);
    expect((e as Error).message).toContain(`did you mean '${meant}'?`);
    // The function's public name, as the user wrote the call.
    const shown = fn.startsWith('Bag.compute') || fn.startsWith('Item.compute') ? 'compute' : fn.endsWith('.persist') ? 'persist' : fn;
    expect((e as Error).message.startsWith(`${shown}: `)).toBe(true);
  });

  it('fromSequence(xs, { npartition: 2 }): the example of the issue', () => {
    expect(() => fromSequence([1, 2, 3], { npartition: 2 } as never)).toThrow(
      "fromSequence: unknown option 'npartition' (known: npartitions, partitionSize); did you mean 'npartitions'?",
    );
  });

  it('wrong types name the option and what was given', async () => {
    expect(() => fromSequence([1], { npartitions: '2' } as never)).toThrow("fromSequence: option 'npartitions' must be a number, got '2' (string)");
    expect(() => b.sum({ splitEvery: 1 })).toThrow("Bag.sum: option 'splitEvery' must be an integer >= 2 or false, got 1 (number)");
    expect(() => b.sum({ splitEvery: true } as never)).toThrow(/option 'splitEvery' must be an integer >= 2 or false/);
    expect(() => readText(join(dir, 'a.txt'), { compression: 'bz2' } as never)).toThrow("readText: option 'compression' must be one of 'infer', 'gzip', null, got 'bz2' (string)");
    expect(() => b.groupby((x) => x, { shuffle: 'disk' } as never)).toThrow("Bag.groupby: option 'shuffle' must be one of 'tasks'");
    await expect(b.take(1, { warn: 'no' } as never)).rejects.toThrow("Bag.take: option 'warn' must be a boolean");
    await expect(b.toTextFiles(join(dir, 'o-*.txt'), { nameFunction: 'x' } as never)).rejects.toThrow("Bag.toTextFiles: option 'nameFunction' must be a function");
    expect(() => b.reduction((p) => p, (x) => x, { name: 'a b' })).toThrow(/Bag\.reduction: option 'name' must be/);
    // Positional arguments in Dask's order (frequencies(split_every, sort)) are caught too.
    expect(() => b.frequencies({ splitEvery: 2 } as never)).toThrow(/sort must be a boolean/);
  });

  it("options Dask has that bag does not implement are refused by name, never ignored", async () => {
    const refused: [string, () => unknown, string][] = [
      ['readText', () => readText(join(dir, 'a.txt'), { includePath: true } as never), 'includePath'],
      ['readText', () => readText(join(dir, 'a.txt'), { filesPerPartition: 2 } as never), 'filesPerPartition'],
      ['readText', () => readText(join(dir, 'a.txt'), { errors: 'strict' } as never), 'errors'],
      ['readText', () => readText(join(dir, 'a.txt'), { collection: false } as never), 'collection'],
      ['readText', () => readText(join(dir, 'a.txt'), { storageOptions: {} } as never), 'storageOptions'],
      ['Bag.groupby', () => b.groupby((x) => x, { maxBranch: 4 } as never), 'maxBranch'],
      ['Bag.groupby', () => b.groupby((x) => x, { blocksize: 1024 } as never), 'blocksize'],
      ['Bag.take', () => b.take(1, { compute: false } as never), 'compute'],
      ['Bag.toTextFiles', () => b.toTextFiles(join(dir, 'r-*.txt'), { compute: false } as never), 'compute'],
      ['Bag.toTextFiles', () => b.toTextFiles(join(dir, 'r-*.txt'), { storageOptions: {} } as never), 'storageOptions'],
      ['Bag.fold', () => b.fold((a: number, x) => a + x, undefined, undefined, { outType: 'bag' } as never), 'outType'],
      ['Bag.reduction', () => b.reduction((p) => p, (x) => x, { outType: 'bag' } as never), 'outType'],
    ];
    for (const [fn, call, option] of refused) {
      const e = await errorOf(call);
      expect(e, `${fn} ${option}`).toBeInstanceOf(OptionError);
      expect((e as Error).message).toContain(`${fn}: option '${option}' is not supported`);
    }
  });

  it('accepted options still work: groupby shuffle "tasks", reduction name, take with compute options', async () => {
    const g = b.groupby((x) => x % 2, { shuffle: 'tasks', method: 'tasks', npartitions: 1 });
    expect((await g.compute({ scheduler: 'sync' })).sort()).toEqual([
      [0, [2, 4]],
      [1, [1, 3, 5]],
    ]);
    const r = b.reduction((p) => p.length, (xs) => xs.reduce((s, x) => s + x, 0), { name: 'howMany' });
    expect(r.key).toMatch(/^howMany-/);
    expect(await r.compute({ scheduler: 'sync' })).toBe(5);
    expect(await b.take(2, { scheduler: 'sync', npartitions: 2 })).toEqual([1, 2]);
    await expect(b.take(1, { schedular: 'sync' } as never)).rejects.toThrow(/did you mean 'scheduler'/);
  });
});
