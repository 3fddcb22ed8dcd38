/**
 * Strict options: every function and method of @pdask/kernels that takes an options object
 * rejects a misspelt key by name (a local check: the kernels do not depend on @pdask/core, but
 * the message has core's form). Which ones take options is read from their parameter lists, so a
 * new one without a row here fails.
 */
import { describe, expect, it } from 'vitest';
import * as K from '../src/index';

const k = K.loadKernelsSync();
const x = Float64Array.of(1, 2, 3, 4);
const typo = <T>(o: Record<string, unknown>): T => o as T;

/** [public name, misspelt key, call]. */
const calls: [string, string, () => unknown][] = [
  ['loadKernels', 'initalBytes', () => K.loadKernels(typo({ initalBytes: 2 ** 20 }))],
  ['loadKernelsSync', 'scratch', () => K.loadKernelsSync(typo({ scratch: 2 ** 16 }))],
  ['createSharedMemory', 'maxBytes', () => K.createSharedMemory(typo({ maxBytes: 2 ** 24 }))],
  ['finalizeGroupBy', 'dof', () => K.finalizeGroupBy(k.groupby(Int32Array.of(0, 0), Float64Array.of(1, 2), ['var']), 'var', typo({ dof: 0 }))],
  ['Kernels.var', 'ddf', () => k.var(x, typo({ ddf: 1 }))],
  ['Kernels.nanvar', 'ddf', () => k.nanvar(x, typo({ ddf: 1 }))],
  ['Kernels.std', 'ddf', () => k.std(x, typo({ ddf: 1 }))],
  ['Kernels.nanstd', 'ddf', () => k.nanstd(x, typo({ ddf: 1 }))],
  ['Kernels.moments', 'skipNa', () => k.moments(x, typo({ skipNa: true }))],
  ['Kernels.argminPartial', 'ofset', () => k.argminPartial(x, typo({ ofset: 4 }))],
  ['Kernels.argmaxPartial', 'ofset', () => k.argmaxPartial(x, typo({ ofset: 4 }))],
  ['Kernels.fillUniform', 'low', () => k.fillUniform(new Int32Array(4), new Float64Array(4), typo({ low: 0 }))],
  ['Kernels.groupby', 'sorted', () => k.groupby(Int32Array.of(0, 1), Float64Array.of(1, 2), ['sum'], typo({ sorted: false }))],
  ['Kernels.groupbyAgg', 'dof', () => k.groupbyAgg(Int32Array.of(0, 1), Float64Array.of(1, 2), 'var', typo({ dof: 0 }))],
  ['Kernels.lloydPartial', 'feature', () => k.lloydPartial(x, Float64Array.of(0, 0), typo({ features: 2, feature: 2 }))],
  ['Kernels.closestUpdate', 'feature', () => k.closestUpdate(x, Float64Array.of(0, 0), new Float64Array(2), typo({ features: 2, feature: 2 }))],
  ['Kernels.logisticPartial', 'intercpt', () => k.logisticPartial(x, Float64Array.of(0, 1), Float64Array.of(0, 0), typo({ features: 2, intercpt: true }))],
  ['Kernels.householderQR', 'Q', () => k.householderQR(x, 2, 2, typo({ Q: false }))],
  ['Kernels.matmul', 'transA', () => k.matmul(x, x, 2, 2, 2, typo({ transA: true }))],
  ['Kernels.csvScan', 'seperator', () => k.csvScan(Uint8Array.of(49, 10), typo({ kinds: ['int32'], sep: 44, quote: 34, seperator: 44 }))],
  ['Kernels.glmGradient', 'multinomal', () => k.glmGradient(x, Float64Array.of(0, 1), Float64Array.of(0, 0), typo({ features: 2, classes: Float64Array.of(0, 1), multinomal: true }))],
  ['glmBinomialMany', 'postive', () => K.glmBinomialMany(k, x, Float64Array.of(0, 1), [Float64Array.of(0, 0)], typo({ features: 2, classes: Float64Array.of(0, 1), postive: 1 }))],
];

/** Whether a function's own parameter list has an options parameter (read from its source). */
function takesOptions(fn: unknown): boolean {
  const params = /^[^(]*\(([^)]*)\)/.exec(Function.prototype.toString.call(fn))?.[1] ?? '';
  return /\boptions\b/.test(params);
}

describe('strict options', () => {
  it.each(calls)('%s rejects the misspelt option %s by name', async (name, key, call) => {
    let error: unknown;
    try {
      await call();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(K.OptionError);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(new RegExp(`^${name.replace('.', '\\.')}: unknown option '${key}' \\(known: [a-zA-Z, ]+\\)$`));
  });

  it('lists the known options', () => {
    expect(() => k.argminPartial(x, typo({ ofset: 4 }))).toThrow("Kernels.argminPartial: unknown option 'ofset' (known: offset, skipna)");
    expect(() => K.loadKernelsSync(typo({ scratch: 1 }))).toThrow("loadKernelsSync: unknown option 'scratch' (known: memory, initialBytes, scratchBytes)");
    expect(() => k.moments(x, 5 as never)).toThrow('Kernels.moments: options must be an object, got number');
  });

  it('the table covers every export and method that takes options', () => {
    const covered = new Set(calls.map(([n]) => n));
    const found: string[] = [];
    for (const [name, value] of Object.entries(K)) {
      if (typeof value !== 'function') continue;
      if (takesOptions(value)) found.push(name);
      for (const m of Object.getOwnPropertyNames(value.prototype ?? {})) {
        const d = Object.getOwnPropertyDescriptor(value.prototype, m)!;
        if (m !== 'constructor' && typeof d.value === 'function' && takesOptions(d.value)) found.push(`${name}.${m}`);
      }
    }
    expect(found.length).toBeGreaterThanOrEqual(calls.length - 1);
    expect(found.filter((n) => !covered.has(n))).toEqual([]);
  });

  it('correct options still work', () => {
    // Var of 1..4 with ddof 1: Σ(x - 2.5)² / 3 = 5 / 3.
    expect(k.var(x, { ddof: 1 })).toBeCloseTo(5 / 3, 14);
    expect(k.argmaxPartial(x, { offset: 10 })).toEqual({ value: 4, index: 13 });
  });
});
