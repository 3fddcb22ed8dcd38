import type { OpRef } from '../graph/spec';

/** Any function an operation may resolve to. Arguments are whatever the task's ArgSpecs produce. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OpFunction = (...args: any[]) => unknown;

const byRef = new Map<string, OpFunction>();
const refOf = new WeakMap<OpFunction, OpRef>();
const compiled = new Map<string, OpFunction>();
const loading = new Map<string, Promise<OpFunction>>();

const modKey = (spec: string, name: string): string => `${spec}#${name}`;

/**
 * Declares a built-in operation: a function exported as `name` from the module `spec`. In this
 * process it resolves without an import; workers `import(spec)` and take the export.
 */
export function defineOp<F extends OpFunction>(spec: string, name: string, fn: F): F {
  const ref: OpRef = { k: 'mod', spec, name };
  byRef.set(modKey(spec, name), fn);
  refOf.set(fn, ref);
  return fn;
}

/** The OpRef of a function registered with defineOp, if it is one. */
export function registeredRef(fn: OpFunction): OpRef | undefined {
  return refOf.get(fn);
}

/** A function known only by module and export name: usable wherever a task function is expected. */
export interface ModuleFunction<F extends OpFunction = OpFunction> {
  readonly moduleRef: OpRef & { k: 'mod' };
  /** Phantom type of the referenced function. */
  readonly __fn?: F;
}

/**
 * References a function exported by a module, for functions that need imports of their own (they
 * cannot be shipped as source). The worker imports `specifier` and calls `exportName`. Use a
 * package name or an absolute `file://` URL so every worker resolves it the same way.
 */
export function fromModule<F extends OpFunction = OpFunction>(specifier: string, exportName = 'default'): ModuleFunction<F> {
  return { moduleRef: { k: 'mod', spec: specifier, name: exportName } };
}

export function isModuleFunction(x: unknown): x is ModuleFunction {
  return typeof x === 'object' && x !== null && 'moduleRef' in x;
}

function compileSource(src: string): OpFunction {
  let fn = compiled.get(src);
  if (!fn) {
    // The source was checked for captured variables when the graph was built; evaluating it in a
    // fresh function scope gives it exactly the globals, as on any worker.
    fn = new Function(`"use strict"; return (${src});`)() as OpFunction;
    compiled.set(src, fn);
  }
  return fn;
}

/** Resolves without awaiting when possible (registered or already imported): the hot path. */
export function resolveOpSync(op: OpRef): OpFunction | undefined {
  if (op.k === 'src') return compileSource(op.src);
  return byRef.get(modKey(op.spec, op.name));
}

export async function resolveOp(op: OpRef): Promise<OpFunction> {
  const fn = resolveOpSync(op);
  if (fn) return fn;
  if (op.k !== 'mod') throw new Error('unreachable');
  const key = modKey(op.spec, op.name);
  let p = loading.get(key);
  if (!p) {
    p = import(/* @vite-ignore */ op.spec).then((mod: Record<string, unknown>) => {
      const f = mod[op.name] ?? (mod.default as Record<string, unknown> | undefined)?.[op.name];
      if (typeof f !== 'function') {
        throw new Error(`Module '${op.spec}' has no exported function '${op.name}'`);
      }
      byRef.set(key, f as OpFunction);
      return f as OpFunction;
    });
    loading.set(key, p);
    p.catch(() => loading.delete(key));
  }
  return p;
}
