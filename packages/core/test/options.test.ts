import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { compute, persist } from '../src/collection/compute';
import { checkMemory, formatBytes, MemoryLimitError } from '../src/collection/memory';
import * as config from '../src/config/config';
import { delayed } from '../src/delayed/delayed';
import { closeThreadPools } from '../src/execute/threads/executor';
import { workerExecArgv } from '../src/execute/threads/exec-argv';
import { layerNode, MaterializedLayer, type LayerNode } from '../src/graph/high-level';
import { SingleKeyCollection } from '../src/collection/base';
import { collectionSymbol, type CollectionGraph } from '../src/collection/protocol';
import { checkOptions, intAtLeast, OptionError, type OptionSchema } from '../src/options/options';

afterAll(() => closeThreadPools());

interface ReadOptions {
  blocksize?: number | string;
  sep?: string;
  header?: number;
  mode?: 'fast' | 'safe';
  retries?: number;
}
const schema: OptionSchema<ReadOptions> = {
  blocksize: { anyOf: ['number', 'string'] },
  sep: 'string',
  header: { unsupported: 'not implemented yet (the first line is always the header)' },
  mode: { oneOf: ['fast', 'safe'] },
  retries: intAtLeast(0),
};

describe('strict options', () => {
  it('rejects an unknown key by name, listing the known ones and the nearest', () => {
    expect(() => checkOptions('readCsv', { blockSize: 10 } as ReadOptions, schema)).toThrow(
      "readCsv: unknown option 'blockSize' (known: blocksize, sep, mode, retries); did you mean 'blocksize'?",
    );
    expect(() => checkOptions('readCsv', { zzz: 1 } as ReadOptions, schema)).toThrow(/unknown option 'zzz' \(known: blocksize, sep, mode, retries\)$/);
  });

  it('names the option and what it got for a wrong type', () => {
    expect(() => checkOptions('readCsv', { sep: 1 } as unknown as ReadOptions, schema)).toThrow("readCsv: option 'sep' must be a string, got 1 (number)");
    expect(() => checkOptions('readCsv', { mode: 'slow' } as unknown as ReadOptions, schema)).toThrow("readCsv: option 'mode' must be one of 'fast', 'safe', got 'slow' (string)");
    expect(() => checkOptions('readCsv', { retries: -1 }, schema)).toThrow("option 'retries' must be an integer >= 0, got -1 (number)");
    expect(() => checkOptions('readCsv', { blocksize: true } as unknown as ReadOptions, schema)).toThrow("must be a number or a string, got true (boolean)");
    expect(() => checkOptions('readCsv', 5 as unknown as ReadOptions, schema)).toThrow('readCsv: options must be an object, got 5 (number)');
  });

  it('refuses an option known from pandas but not implemented, by name', () => {
    const e = (() => {
      try {
        checkOptions('readCsv', { header: 0 }, schema);
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(OptionError);
    expect(e).toBeInstanceOf(TypeError);
    expect((e as OptionError).option).toBe('header');
    expect((e as Error).message).toBe("readCsv: option 'header' is not supported: not implemented yet (the first line is always the header)");
  });

  it('accepts good options and undefined values as they are', () => {
    const o = { blocksize: '64MB', mode: 'safe' as const, sep: undefined };
    expect(checkOptions('readCsv', o, schema)).toBe(o);
    expect(checkOptions('readCsv', undefined, schema)).toEqual({});
  });

  it('guards compute() and persist(), including a misspelt trailing options object', async () => {
    const d = delayed(1, { name: 'one' });
    await expect(d.compute({ schedular: 'sync' } as never)).rejects.toThrow("compute: unknown option 'schedular' (known: scheduler, numWorkers, optimizeGraph, progress, retries, taskTimeoutMs); did you mean 'scheduler'?");
    await expect(compute(d, { schedular: 'sync' } as never)).rejects.toThrow("unknown option 'schedular'");
    await expect(compute(d, { scheduler: 'sync', retry: 2 } as never)).rejects.toThrow("unknown option 'retry'");
    await expect(persist(d, { numWorkers: 0 })).rejects.toThrow("persist: option 'numWorkers' must be an integer >= 1, got 0 (number)");
    // A plain object that is no options object is a value, returned as it is.
    expect(await compute(d, { label: 'x' })).toEqual([1, { label: 'x' }]);
  });
});

describe('memory sense', () => {
  it('prints sizes as NumPy does', () => {
    expect(formatBytes(8e12)).toBe('7.28 TiB');
    expect(formatBytes(21 * 2 ** 30)).toBe('21 GiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(512)).toBe('512 B');
  });

  it('refuses a result or a block larger than the memory limit before anything runs', async () => {
    config.set({ 'memory.limit': '1GiB' });
    try {
      expect(() => checkMemory([{ bytes: 8e12, advice: 'reduce it first or write it with toZarr' }], [])).toThrow(
        'cannot gather 7.28 TiB into this process (available: 1 GiB); reduce it first or write it with toZarr',
      );
      const big = layerNode(new MaterializedLayer('big', [], 'big', { largestBlock: 2 ** 31 }));
      expect(() => checkMemory([], [big])).toThrow('cannot create a block of 2 GiB (available: 1 GiB); use smaller chunks');
      expect(() => checkMemory([{ bytes: 2 ** 29 }], [])).not.toThrow();
      // Through compute(): refused before the task that would allocate runs.
      const alloc = delayed(() => {
        throw new Error('the task ran');
      })();
      class Huge extends SingleKeyCollection<number> {
        protected withLayer(layer: LayerNode): Huge {
          return new Huge(this.key, layer);
        }
        toString(): string {
          return 'Huge';
        }
        override [collectionSymbol](): CollectionGraph<number> {
          return { ...super[collectionSymbol](), resultBytes: 8e12, advice: 'reduce it first' };
        }
      }
      const huge = new Huge(alloc.key, alloc.layer);
      await expect(huge.compute({ scheduler: 'sync' })).rejects.toThrow('cannot gather 7.28 TiB into this process (available: 1 GiB); reduce it first');
      await expect(alloc.compute({ scheduler: 'sync' })).rejects.toThrow('the task ran');
      expect(new MemoryLimitError('m', 1, 0)).toBeInstanceOf(RangeError);
    } finally {
      config.set({ 'memory.limit': 'auto' });
    }
  });
});

describe('worker threads start clean', () => {
  it('passes on only the Node flags a worker needs', () => {
    expect(workerExecArgv(['--input-type=module', '-e', 'code()', '--expose-gc', '--max-old-space-size=512', '--enable-source-maps'])).toEqual(['--enable-source-maps']);
    expect(workerExecArgv(['--stack-size', '900', '--max-semi-space-size=8', '--experimental-wasm-stringref', '--import', 'tsx'])).toEqual(['--import', 'tsx']);
    expect(workerExecArgv(['--import', 'tsx', '--inspect=9229', '--conditions=dev', '-r', 'x.cjs', '--test', '--watch'])).toEqual(['--import', 'tsx', '--conditions=dev', '-r', 'x.cjs']);
    expect(workerExecArgv(['--input-type', 'module', '--eval', 'x'])).toEqual([]);
    // Profiling flags reach the workers (one profile per thread); a file name would be shared by all, so it stays behind.
    expect(workerExecArgv(['--cpu-prof', '--cpu-prof-dir', '/tmp/p', '--cpu-prof-interval=50', '--cpu-prof-name', 'x.cpuprofile', '--heap-prof'])).toEqual(['--cpu-prof', '--cpu-prof-dir', '/tmp/p', '--cpu-prof-interval=50', '--heap-prof']);
  });

  it('runs the threads scheduler from `node --input-type=module -e`', () => {
    const core = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '../dist/index.js')).href;
    const code = `import { delayed, closeThreadPools } from '${core}';\nconst d = delayed((a, b) => a + b)(20, 22);\nconsole.log(await d.compute({ scheduler: 'threads' }));\nawait closeThreadPools();`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).not.toMatch(/input-type/);
    expect(r.stdout.trim()).toBe('42');
    expect(r.status).toBe(0);
  });

  it('runs the threads scheduler under V8 flags (process-wide: Node refuses them in a worker execArgv)', () => {
    const core = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '../dist/index.js')).href;
    const code = `import { delayed, closeThreadPools } from '${core}';\nconst d = delayed((a, b) => a + b)(20, 22);\nconsole.log(await d.compute({ scheduler: 'threads' }), typeof gc);\nawait closeThreadPools();`;
    const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=512', '--input-type=module', '-e', code], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).not.toMatch(/ERR_WORKER_INVALID_EXEC_ARGV/);
    expect(r.stdout.trim()).toBe('42 function');
    expect(r.status).toBe(0);
  });
});

describe('every options object of @pdask/core is strict', () => {
  it('refuses a misspelt option in each public function that takes options', async () => {
    const core = await import('../src/index');
    const d = core.delayed(1, { name: 'one' });
    const calls: [string, () => unknown][] = [
      ["delayed: unknown option 'nam'", () => core.delayed((x: number) => x, { nam: 'f' } as never)],
      ["visualize: unknown option 'file'", () => core.visualize([d], { file: 'x.svg' } as never)],
      ["visualize: unknown option 'file'", () => d.visualize({ file: 'x.svg' } as never)],
      ["toDot: unknown option 'rankDir'", () => core.toDot(new Map(), { rankDir: 'LR' } as never)],
      ["getExecutor: unknown option 'workers'", () => core.getExecutor('sync', { workers: 2 } as never)],
      ["ThreadPool: unknown option 'maxOld'", () => new core.ThreadPool({ size: 1, maxOld: 5 } as never)],
      ["compute: unknown option 'sheduler'", () => d.compute({ sheduler: 'sync' } as never)],
      ["compute: unknown option 'sheduler'", () => core.compute(d, { sheduler: 'sync' } as never)],
      ["compute: unknown option 'sheduler'", () => core.computeCollections([d], { sheduler: 'sync' } as never)],
      ["persist: unknown option 'sheduler'", () => d.persist({ sheduler: 'sync' } as never)],
      ["persist: unknown option 'sheduler'", () => core.persist(d, { sheduler: 'sync' } as never)],
    ];
    for (const [message, call] of calls) {
      let error: unknown;
      try {
        await call();
      } catch (e) {
        error = e;
      }
      expect(error, message).toBeInstanceOf(core.OptionError);
      expect((error as Error).message).toContain(message);
    }
  });
});
