/**
 * Node built-ins reached at call time, never imported: a page bundled for the browser then never
 * sees `node:fs` and the like (bundlers fail on, or stub, a static import of one), and a function
 * that needs one says so by name there instead of failing inside a stub.
 */

/** A Node-only function (a file reader or writer...) called where Node's built-ins are absent. */
export class NodeOnlyError extends Error {
  override name = 'NodeOnlyError';
  constructor(
    /** What was called, e.g. `readText('data/*.json')`. */
    readonly what: string,
    /** The built-in it needs, e.g. `node:fs`. */
    readonly builtin: string,
    /** What to do instead on this platform, when there is something (a package's own advice). */
    hint?: string,
  ) {
    super(`${what} needs Node's ${builtin}, which this platform (a browser or another non-Node runtime) does not have: it runs only in Node${hint ? `; ${hint}` : ''}`);
  }
}

type NodeProcess = { getBuiltinModule?: (id: string) => unknown; versions?: { node?: string } };

const nodeProcess = (): NodeProcess | undefined => {
  const p = (globalThis as { process?: NodeProcess }).process;
  return p?.versions?.node ? p : undefined;
};

/** Whether Node's built-ins are at hand (Node >= 20.16, where process.getBuiltinModule exists). */
export function hasNodeBuiltins(): boolean {
  return typeof nodeProcess()?.getBuiltinModule === 'function';
}

/** A Node built-in module (`nodeBuiltin<typeof import('node:fs')>('node:fs', 'readText()')`), or a NodeOnlyError naming `what`. */
export function nodeBuiltin<T>(id: `node:${string}`, what: string): T {
  const m = nodeProcess()?.getBuiltinModule?.(id);
  if (m === undefined) throw new NodeOnlyError(what, id);
  return m as T;
}

/** The process id on Node (names of temporary files), 0 elsewhere. */
export function processId(): number {
  return (globalThis as { process?: { pid?: number } }).process?.pid ?? 0;
}

/**
 * A Node built-in bound lazily: `const fs = lazyBuiltin<typeof import('node:fs')>('node:fs', 'readText()')`
 * at module level costs nothing, and `fs.readFileSync(...)` fails with a NodeOnlyError in a browser.
 */
export function lazyBuiltin<T extends object>(id: `node:${string}`, what: string): T {
  return new Proxy({} as T, { get: (_, k) => (nodeBuiltin<T>(id, what) as Record<string | symbol, unknown>)[k] });
}

/**
 * A Node-only npm package of this package's dependencies (a terminal progress bar...), required on
 * first use so a page's bundler never pulls it and its Node built-ins in.
 */
export function requirePackage<T>(name: string, what: string): T {
  const { createRequire } = nodeBuiltin<typeof import('node:module')>('node:module', what);
  return createRequire(import.meta.url)(name) as T;
}

/** Compares two byte ranges natively (memcmp). */
export type BytesEqual = (a: Uint8Array, b: Uint8Array) => boolean;

let bytesEqualFn: BytesEqual | null | undefined;

/**
 * Node's native byte comparison, or null where Node's built-ins are absent. The snapshot memories
 * of fromArray and fromColumns trust a remembered copy only after comparing it with the source,
 * and a comparison in JS would cost about what the copy it saves does.
 */
export function nativeBytesEqual(): BytesEqual | null {
  if (bytesEqualFn === undefined) {
    if (!hasNodeBuiltins()) bytesEqualFn = null;
    else {
      const { Buffer } = nodeBuiltin<{ Buffer: { from(b: ArrayBufferLike, offset: number, length: number): { equals(other: Uint8Array): boolean } } }>('node:buffer', 'nativeBytesEqual');
      bytesEqualFn = (a, b) => a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
    }
  }
  return bytesEqualFn;
}
