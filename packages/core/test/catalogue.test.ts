import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Delayed } from '../src/delayed/delayed';
import { closeThreadPools } from '../src/execute/threads/executor';
import { layerNode, MaterializedLayer } from '../src/graph/high-level';
import { arr, lit, ref } from '../src/graph/spec';
import { coreOps } from '../src/ops/index';
import { defineCatalogue, isOp, resolveOp, UnknownOperationError } from '../src/ops/registry';
import { toOpRef } from '../src/ops/shippable';

afterAll(() => closeThreadPools());

const demo = defineCatalogue('pdask-test/catalogue-demo', {
  scale: (factor: number, xs: readonly number[]): number[] => xs.map((x) => x * factor),
  total: (...parts: number[][]): number => parts.flat().reduce((a, b) => a + b, 0),
});

describe('the operation catalogue', () => {
  it('names each operation once, by its key, and builds tasks from typed handles', () => {
    expect(demo.scale.ref).toEqual({ k: 'mod', spec: 'pdask-test/catalogue-demo', name: 'scale' });
    expect(isOp(demo.scale)).toBe(true);
    expect(toOpRef(demo.total)).toBe(demo.total.ref);
    const t = demo.scale.task('s', lit(2), ref('xs'));
    expect(t).toMatchObject({ kind: 'task', key: 's', op: demo.scale.ref, deps: ['xs'] });
    expect(demo.total.call(ref('a'), ref('b'))).toEqual({ op: demo.total.ref, args: [{ t: 'ref', key: 'a' }, { t: 'ref', key: 'b' }] });
    expect(demo.scale.fn(3, [1, 2])).toEqual([3, 6]);
  });

  it('checks task arguments against the operation types', () => {
    // @ts-expect-error a string literal where the operation takes a number
    demo.scale.task('bad', lit('two'), ref('xs'));
    // @ts-expect-error a missing argument
    demo.scale.task('short', lit(2));
    // @ts-expect-error a reference typed as a string where an array is expected
    demo.scale.task('typed', lit(2), ref<string>('xs'));
    expect(demo.scale.task('ok', lit(2), arr([lit(1)])).deps).toEqual([]);
  });

  it('resolves handles in this thread without an import', async () => {
    expect(await resolveOp(coreOps.identity.ref)).toBe(coreOps.identity.fn);
  });

  describe('in a module that workers import', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdask-cat-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'ops.mjs');
    writeFileSync(
      file,
      // The built core, as a worker thread loads it: its catalogue registry is the one this thread's copy uses too.
      `import { defineCatalogue } from '${pathToFileURL(join(__dirname, '../dist/index.js')).href}';\nexport const ops = defineCatalogue(import.meta.url, { triple: (x) => 3 * x, concat: (a, b) => a + '|' + b });\n`,
    );
    const spec = pathToFileURL(file).href;

    for (const scheduler of ['sync', 'threads']) {
      it(`runs catalogued operations and names an unknown one (${scheduler})`, async () => {
        const mod = (await import(spec)) as { ops: { triple: { task: (k: string, ...a: unknown[]) => never } } };
        const good = new Delayed<number>('t', layerNode(new MaterializedLayer('t', [mod.ops.triple.task('t', lit(14))])));
        expect(await good.compute({ scheduler })).toBe(42);
        // A graph from another build names an operation this catalogue does not have.
        const stale = { kind: 'task' as const, key: 'u', op: { k: 'mod' as const, spec, name: 'quadruple' }, args: [lit(1)], deps: [] };
        const bad = new Delayed<number>('u', layerNode(new MaterializedLayer('u', [stale])));
        const err = await bad.compute({ scheduler }).then(
          () => undefined,
          (e: unknown) => e as Error,
        );
        expect(err?.message).toMatch(/Unknown operation 'quadruple' of 'file:.*ops\.mjs': its catalogue has 2 operations \(triple, concat\)/);
        if (scheduler === 'sync') expect(err).toBeInstanceOf(UnknownOperationError);
        // The runtime stays usable after the failure.
        expect(await good.compute({ scheduler })).toBe(42);
      });
    }
  });
});
