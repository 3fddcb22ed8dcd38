/**
 * Where the module comes from: `loadKernels({ url })` in Node (a path, a `file:` URL string, a URL
 * object, both builds), the inlined module, the shared build read from the package, and the clear
 * errors: a build that does not match the memory, a file that is not the kernels, a missing file,
 * and shared memory on a page that is not cross-origin isolated (crossOriginIsolated === false).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as K from '../src/index.js';
import { KERNELS_WASM_DEFLATED } from '../src/generated/kernels-wasm.js';

const wasm = (f: string): string => fileURLToPath(new URL(`../src/generated/${f}`, import.meta.url));
const PLAIN = wasm('kernels.wasm');
const SHARED = wasm('kernels-shared.wasm');
// 1 + 2 + ... + 1000, and the same data in a memory posted to other instances.
const x = Float64Array.from({ length: 1000 }, (_, i) => i + 1);
const SUM = (1000 * 1001) / 2;

describe('loadKernels({ url }) in Node', () => {
  it('reads kernels.wasm from a path, a file: URL string and a URL object', async () => {
    for (const url of [PLAIN, pathToFileURL(PLAIN).href, pathToFileURL(PLAIN)]) {
      const k = await K.loadKernels({ url });
      expect(k.shared).toBe(false);
      expect(k.sum(x)).toBe(SUM);
      expect(k.var(new Float64Array([1, 2, 3, 4]), { ddof: 1 })).toBe(5 / 3);
    }
  });

  it('reads kernels-shared.wasm for a shared memory; two instances read the same data in place', async () => {
    const memory = K.createSharedMemory({ initialBytes: 2 ** 20 });
    const k = await K.loadKernels({ memory, url: SHARED });
    const a = k.copyIn(x);
    const other = await K.loadKernels({ memory, url: pathToFileURL(SHARED) });
    expect([k.shared, other.shared, other.owns(a.array)]).toEqual([true, true, true]);
    expect(other.sum(a.array)).toBe(SUM);
  });

  it('finds the shared build in the package without any import, sync and async', async () => {
    const memory = K.createSharedMemory({ initialBytes: 2 ** 20 });
    const k = K.loadKernelsSync({ memory });
    const a = k.copyIn(x);
    const other = await K.loadKernels({ memory });
    expect(other.sum(a.array)).toBe(SUM);
    expect(K.sharedMemoryId(other.memory)).toBe(K.sharedMemoryId(memory));
  });

  it('says which build a memory needs when the URL names the other one', async () => {
    const shared = K.createSharedMemory({ initialBytes: 2 ** 20 });
    await expect(K.loadKernels({ memory: shared, url: PLAIN })).rejects.toThrow(
      new RegExp(`^loadKernels: ${PLAIN.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} cannot use this shared memory: a shared memory needs kernels-shared.wasm, any other kernels.wasm`),
    );
    const plain = new WebAssembly.Memory({ initial: 20, maximum: 100 });
    await expect(K.loadKernels({ memory: plain, url: SHARED })).rejects.toMatchObject({ name: 'KernelsLoadError', message: expect.stringContaining('cannot use this non-shared memory') });
  });

  it('refuses a file that is not the kernels, and names a missing one', async () => {
    // A valid module that imports nothing: not one of the two builds.
    const empty = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    const url = `data:application/wasm;base64,${Buffer.from(empty).toString('base64')}`;
    await expect(K.loadKernels({ url })).rejects.toThrow(/^loadKernels: data:application\/wasm;base64,AGFzbQEAAAA= is not @pdask\/kernels' kernels\.wasm or kernels-shared\.wasm$/);
    await expect(K.loadKernels({ url: '/no/such/kernels.wasm' })).rejects.toMatchObject({ name: 'KernelsLoadError', message: expect.stringMatching(/^loadKernels: cannot read \/no\/such\/kernels\.wasm: ENOENT/) });
  });

  it('compiles each URL once per realm', async () => {
    const url = pathToFileURL(PLAIN).href + '?once';
    // A query string is not part of a file path: fileURLToPath drops it, so this reads kernels.wasm.
    const compile = vi.spyOn(WebAssembly, 'compile');
    try {
      const [a, b] = await Promise.all([K.loadKernels({ url }), K.loadKernels({ url })]);
      const c = await K.loadKernels({ url });
      expect(a.sum(x) + b.sum(x) + c.sum(x)).toBe(3 * SUM);
      expect(compile).toHaveBeenCalledTimes(1);
    } finally {
      compile.mockRestore();
    }
  });

  it('has strict options: url for loadKernels, not for loadKernelsSync', async () => {
    await expect(K.loadKernels({ urll: PLAIN } as K.LoadKernelsOptions)).rejects.toThrow("loadKernels: unknown option 'urll' (known: memory, initialBytes, scratchBytes, url)");
    expect(() => K.loadKernelsSync({ url: PLAIN } as K.LoadOptions)).toThrow("loadKernelsSync: unknown option 'url' (known: memory, initialBytes, scratchBytes)");
  });

  it('inlines the ordinary build deflated: it inflates to the exact bytes of kernels.wasm', async () => {
    const { inflateRawSync } = await import('node:zlib');
    expect(Buffer.from(inflateRawSync(Buffer.from(KERNELS_WASM_DEFLATED, 'base64'))).equals(readFileSync(PLAIN))).toBe(true);
  });
});

describe('shared memory without cross-origin isolation', () => {
  const g = globalThis as { crossOriginIsolated?: boolean };
  afterEach(() => {
    delete g.crossOriginIsolated;
  });

  it('createSharedMemory and loadKernels({ memory }) name the COOP/COEP headers', async () => {
    const made = K.createSharedMemory({ initialBytes: 2 ** 20 });
    g.crossOriginIsolated = false; // what a page served without COOP/COEP has
    const headers = /Serve the page \(and its workers\) with the headers "Cross-Origin-Opener-Policy: same-origin" and "Cross-Origin-Embedder-Policy: require-corp"/;
    expect(() => K.createSharedMemory()).toThrow(K.SharedMemoryError);
    expect(() => K.createSharedMemory()).toThrow(headers);
    await expect(K.loadKernels({ memory: made })).rejects.toThrow(headers);
    expect(() => K.loadKernelsSync({ memory: made })).toThrow(/^loadKernelsSync: shared WebAssembly memory needs a cross-origin isolated page/);
    // The ordinary build still loads.
    expect((await K.loadKernels()).sum(x)).toBe(SUM);
    g.crossOriginIsolated = true;
    expect(K.loadKernelsSync({ memory: K.createSharedMemory({ initialBytes: 2 ** 20 }) }).sum(x)).toBe(SUM);
  });
});
