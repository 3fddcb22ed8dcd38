import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compute, persist } from '../src/collection/compute';
import { delayed, Delayed } from '../src/delayed/delayed';
import { closeThreadPools } from '../src/execute/threads/executor';
import { UnshippableFunctionError } from '../src/ops/shippable';

afterAll(() => closeThreadPools());

const add = (x: number, y: number) => x + y;
const schedulers = ['sync', 'threads'] as const;

describe('delayed', () => {
  it("prints like Dask's Delayed and computes the seed's example", async () => {
    const d = delayed(add)(5, 6);
    expect(String(d)).toMatch(/^Delayed\('add-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'\)$/);
    for (const scheduler of schedulers) expect(await d.compute({ scheduler })).toBe(11);
  });

  it('gives impure calls unique keys and pure calls deterministic ones', () => {
    expect(delayed(add)(1, 2).key).not.toBe(delayed(add)(1, 2).key);
    expect(delayed(add, { pure: true })(1, 2).key).toBe(delayed(add, { pure: true })(1, 2).key);
    expect(delayed(add, { pure: true })(1, 2).key).not.toBe(delayed(add, { pure: true })(2, 1).key);
    expect(delayed(add, { pure: true, name: 'plus' })(1, 2).key).toMatch(/^plus-[0-9a-f]{32}$/);
  });

  it('finds Delayed values nested in arrays and objects', async () => {
    const total = (o: { xs: number[]; y: { z: number } }) => o.xs.reduce((a, b) => a + b, 0) + o.y.z;
    const a = delayed(add)(1, 2); // 3
    const b = delayed(add)(a, 10); // 13
    const r = delayed(total)({ xs: [a, b, 100], y: { z: a } });
    for (const scheduler of schedulers) expect(await r.compute({ scheduler })).toBe(3 + 13 + 100 + 3);
  });

  it('wraps plain values, and values holding Delayed', async () => {
    expect(await delayed([1, 2, 3]).compute({ scheduler: 'sync' })).toEqual([1, 2, 3]);
    const x = delayed(add)(1, 1);
    expect(await delayed({ x, list: [x, 5] }).compute({ scheduler: 'threads' })).toEqual({ x: 2, list: [2, 5] });
  });

  it('destructures results declared with nout, and indexes lazily', async () => {
    const divmod = (a: number, b: number): [number, number] => [Math.floor(a / b), a % b];
    const [q, r] = delayed(divmod, { nout: 2 })(17, 5);
    expect(await compute(q, r, { scheduler: 'sync' })).toEqual([3, 2]);
    const pair = delayed(divmod)(9, 4);
    expect(await pair.get(1).compute()).toBe(1);
    expect(() => [...pair]).toThrow(/no known length/);
    const s = delayed('a,b,c');
    expect(await s.call('slice', 2).compute({ scheduler: 'sync' })).toBe('b,c');
  });

  it('compute() runs shared work once for several results (counted by the task itself)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdask-count-'));
    try {
      const log = join(dir, 'calls.log');
      // A self-contained function: it reaches fs through the global `process`.
      const expensive = (path: string, x: number) => {
        process.getBuiltinModule('node:fs').appendFileSync(path, 'x');
        return x * 10;
      };
      for (const scheduler of schedulers) {
        rmSync(log, { force: true });
        const shared = delayed(expensive)(log, 4);
        const a = delayed(add)(shared, 1);
        const b = delayed(add)(shared, 2);
        const [ra, rb, plain] = await compute(a, b, 'untouched', { scheduler });
        expect([ra, rb, plain]).toEqual([41, 42, 'untouched']);
        expect(readFileSync(log, 'utf8')).toBe('x');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('compute() traverses arrays and objects of collections', async () => {
    const a = delayed(add)(1, 2);
    const [out] = await compute({ list: [a, delayed(add)(a, 1)], n: 7 }, { scheduler: 'sync' });
    expect(out).toEqual({ list: [3, 4], n: 7 });
  });

  it('persist() returns a Delayed backed by the value, under the same key', async () => {
    const d = delayed(add)(20, 22);
    const p = await d.persist();
    expect(p).toBeInstanceOf(Delayed);
    expect(p.key).toBe(d.key);
    expect(await p.compute({ scheduler: 'sync' })).toBe(42);
    const [p2] = await persist(delayed(add)(p, 1), { scheduler: 'sync' });
    expect(await p2.compute()).toBe(43);
  });

  it('supports async task functions', async () => {
    const slowDouble = async (x: number) => {
      await new Promise((r) => setTimeout(r, 5));
      return 2 * x;
    };
    for (const scheduler of schedulers) expect(await delayed(add)(delayed(slowDouble)(4), 1).compute({ scheduler })).toBe(9);
  });

  it('refuses a function that captures a variable, naming it, at delayed() time', () => {
    const offset = 3;
    const shifted = (x: number) => x + offset;
    let error: unknown;
    try {
      delayed(shifted);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnshippableFunctionError);
    expect((error as Error).message).toContain("'shifted'");
    expect((error as Error).message).toContain("captures 'offset'");
    expect((error as UnshippableFunctionError).captured).toEqual(['offset']);
  });

  it('refuses native and bound functions with a clear message', () => {
    expect(() => delayed(Math.max)).toThrow(/'max'.*native or bound/);
    expect(() => delayed(add.bind(null, 1))).toThrow(/native or bound/);
  });

  it('accepts method shorthand and functions using only globals', async () => {
    const obj = {
      hyp(a: number, b: number) {
        return Math.sqrt(a * a + b * b);
      },
    };
    expect(await delayed(obj.hyp)(3, 4).compute({ scheduler: 'threads' })).toBe(5);
  });

  it('a chain of 10,000 delayed calls computes (fused) on both schedulers', async () => {
    const inc = (x: number) => x + 1;
    let d = delayed(inc)(0);
    for (let i = 1; i < 10_000; i++) d = delayed(inc)(d);
    for (const scheduler of schedulers) expect(await d.compute({ scheduler })).toBe(10_000);
  });
});
