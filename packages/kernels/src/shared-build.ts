/**
 * Where `import '@pdask/kernels/shared'` leaves the shared-memory build for the loader. A global
 * (by `Symbol.for`) rather than module state: the entry and the loader may be separate copies of
 * this module (the CommonJS build, or ESM and CommonJS both loaded), and all must see it.
 */
const KEY = Symbol.for('@pdask/kernels: shared build (deflated, base64)');

export function registerSharedBuild(deflatedBase64: string): void {
  (globalThis as Record<symbol, unknown>)[KEY] = deflatedBase64;
}

export function registeredSharedBuild(): string | undefined {
  const v = (globalThis as Record<symbol, unknown>)[KEY];
  return typeof v === 'string' ? v : undefined;
}
