import { closeThreadPools, fromModule, taskKeyOf, UnshippableFunctionError } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import { fromSequence, range } from '../src/index';
import { iota, SCHEDULERS } from './helpers';

afterAll(() => closeThreadPools());

class CustomError extends Error {
  override name = 'CustomError';
}

describe('bad arguments fail when the graph is built', () => {
  const b = fromSequence(iota(10), { npartitions: 2 });

  it('a function capturing a variable is refused, naming it and how to pass it', () => {
    const factor = 3;
    let err: unknown;
    try {
      b.map((x) => x * factor);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnshippableFunctionError);
    expect((err as UnshippableFunctionError).captured).toEqual(['factor']);
    expect((err as Error).message).toMatch(/captures 'factor'/);
    expect((err as Error).message).toMatch(/bag\.map\(\(x, factor\) => \.\.\., factor\)/);
    // ... and passing it as an argument works.
    expect(() => b.map((x, f) => x * f, factor)).not.toThrow();
    expect(() => b.filter((x) => x > factor)).toThrow(UnshippableFunctionError);
    expect(() => b.groupby((x) => x % factor)).toThrow(/captures 'factor'/);
  });

  it('non-functions, bad partition counts, mismatched bags', () => {
    expect(() => b.map(5 as never)).toThrow(/Bag\.map: expected a function .*got number 5/);
    expect(() => b.filter('x' as never)).toThrow(/Bag\.filter: expected a predicate/);
    expect(() => fromSequence(iota(3), { npartitions: 0 })).toThrow(/npartitions must be a positive integer, got 0/);
    expect(() => fromSequence(iota(3), { npartitions: 1.5 })).toThrow(/positive integer/);
    expect(() => fromSequence(iota(3), { npartitions: 1, partitionSize: 2 })).toThrow(/not both/);
    expect(() => fromSequence(42 as never)).toThrow(/expected an array or other iterable, got number/);
    expect(() => range(-1, { npartitions: 1 })).toThrow(/non-negative integer/);
    expect(() => range(5, {} as never)).toThrow(/npartitions must be a positive integer/);
    expect(() => b.repartition(0)).toThrow(/positive integer/);
    expect(() => b.groupby((x) => x, { npartitions: -2 })).toThrow(/positive integer/);
    expect(() => b.map((x, y) => x + y, fromSequence(iota(10), { npartitions: 3 }))).toThrow(/2 and 3 partitions/);
    expect(() => b.topk(-1)).toThrow(/non-negative integer/);
    expect(() => b.sum({ splitEvery: 1 })).toThrow(/splitEvery/);
    expect(() => b.pluck({} as never)).toThrow(/property name/);
    expect(() => b.var(-1)).toThrow(/ddof/);
  });
});

describe.each(SCHEDULERS)('errors in user functions (%s)', (name, opts) => {
  it('report the partition and element, with the original class, message and stack', async () => {
    const b = fromSequence(iota(20), { npartitions: 4 }).map(function explode(x) {
      if (x === 13) throw new TypeError(`bad element ${x}`);
      return x;
    });
    let err: unknown;
    try {
      await b.sum().compute(opts);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TypeError);
    const e = err as Error;
    expect(e.message).toBe('in Bag.map (partition 2, element 3): bad element 13');
    expect(e.stack).toMatch(/^TypeError: in Bag\.map \(partition 2, element 3\): bad element 13/);
    expect(e.stack).toMatch(/explode/);
    // The map runs fused into the sum's per-partition task, which is the task that failed.
    expect(taskKeyOf(e)).toMatch(/^sum-.*-partial-2$/);
  });

  it('keep a custom class name, and the runtime stays usable afterwards', async () => {
    const b = fromSequence(iota(6), { npartitions: 3 }).filter((x) => {
      if (x === 0) {
        class CustomError extends Error {
          override name = 'CustomError';
        }
        throw new CustomError('custom');
      }
      return true;
    });
    const err = await b.compute(opts).catch((e: unknown) => e);
    expect((err as Error).name).toBe('CustomError');
    expect((err as Error).message).toBe('in Bag.filter (partition 0, element 0): custom');
    if (name === 'sync') expect((err as Error).constructor.name).toBe('CustomError');
    expect(await fromSequence(iota(6), { npartitions: 3 }).map((x) => x + 1).sum().compute(opts)).toBe(21);
  });

  it('in reductions, groupby keys and mapPartitions', async () => {
    const b = fromSequence(iota(9), { npartitions: 3 });
    await expect(b.foldby((x) => x % 2, (a: number, x) => (x === 8 ? (null as never as number).valueOf() : a + x)).compute(opts)).rejects.toThrow(
      /^in Bag\.foldby \(partition 2\): /,
    );
    await expect(b.groupby((x) => (x === 4 ? JSON.parse('{') : x)).compute(opts)).rejects.toThrow(/in Bag\.groupby \(partition 1, element 1\)/);
    await expect(b.mapPartitions(() => 5 as never).compute(opts)).rejects.toThrow(/must return an array or another iterable/);
  });

  it('functions from modules are imported by the workers', async () => {
    const pathJoin = fromModule<(...parts: string[]) => string>('node:path', 'join');
    expect(await fromSequence(['a', 'b'], { npartitions: 2 }).map(pathJoin, 'x').compute(opts)).toEqual(['a/x', 'b/x']);
  });
});

void CustomError;
