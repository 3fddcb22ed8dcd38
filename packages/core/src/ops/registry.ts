import type { Arg, ArgSpec, Key, OpRef, TaskNode } from '../graph/spec';
import { taskNode } from '../graph/spec';

/** Any function an operation may resolve to. Arguments are whatever the task's ArgSpecs produce. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type OpFunction = (...args: any[]) => unknown;

/** The OpRef of a catalogued operation: always a module specifier and an export name. */
export type ModuleRef = OpRef & { readonly k: 'mod' };

/** The arguments a task of an operation `F` is built with: one `Arg` per parameter. */
export type OpArgs<F extends OpFunction> = F extends (...args: infer P) => unknown ? { [I in keyof P]: Arg<P[I]> } : never;

/** An operation applied to its arguments, not yet given a key (a step of a tree reduction, a finalizer). */
export interface OpCall {
  readonly op: OpRef;
  readonly args: readonly ArgSpec[];
}

/**
 * A typed handle on a built-in operation: the only way packages refer to one. Its name and module
 * are fixed by the catalogue that defined it, so no string names an operation anywhere else.
 */
export interface Op<F extends OpFunction = OpFunction> {
  readonly ref: ModuleRef;
  /** The function itself, for running the operation in this thread (tests, eager paths). */
  readonly fn: F;
  /** A task computing `key` with this operation. */
  task(key: Key, ...args: OpArgs<F>): TaskNode;
  /** This operation applied to arguments, for builders that choose the key later. */
  call(...args: OpArgs<F>): OpCall;
}

/** The handles of one module's operations, by name. */
export type Catalogue<T extends Record<string, OpFunction>> = { readonly [K in keyof T]: Op<T[K]> };

interface Registry {
  readonly byRef: Map<string, OpFunction>;
  readonly refOf: WeakMap<OpFunction, ModuleRef>;
  /** The operation names of each catalogue module, for errors naming what is there. */
  readonly namesOf: Map<string, readonly string[]>;
}

/**
 * One registry per thread, however many copies of this module are loaded (the ESM and CommonJS
 * builds side by side, or a bundled copy): a catalogue registered by one copy resolves in all.
 */
const REGISTRY = Symbol.for('pdask.ops.registry');
const registry: Registry = ((globalThis as Record<symbol, Registry | undefined>)[REGISTRY] ??= {
  byRef: new Map(),
  refOf: new WeakMap(),
  namesOf: new Map(),
});
const { byRef, refOf, namesOf } = registry;
const compiled = new Map<string, OpFunction>();
const loading = new Map<string, Promise<OpFunction>>();
/** Brands handles so that every copy of core recognises them. */
const OP_BRAND = Symbol.for('pdask.op');

const modKey = (spec: string, name: string): string => `${spec}#${name}`;

class OpHandle<F extends OpFunction> implements Op<F> {
  readonly [OP_BRAND] = true;
  constructor(
    readonly ref: ModuleRef,
    readonly fn: F,
  ) {}
  task(key: Key, ...args: OpArgs<F>): TaskNode {
    return taskNode(key, this.ref, args as readonly ArgSpec[]);
  }
  call(...args: OpArgs<F>): OpCall {
    return { op: this.ref, args: args as readonly ArgSpec[] };
  }
}

/**
 * Declares the built-in operations of a module that workers can `import(spec)`: each property of
 * `table` becomes an operation named by its key. The module that calls this must be the one
 * exported as `spec` (importing it registers the operations, which is how workers find them).
 * In this process the operations resolve without an import.
 */
export function defineCatalogue<T extends Record<string, OpFunction>>(spec: string, table: T): Catalogue<T> {
  const out: Record<string, Op> = {};
  for (const [name, fn] of Object.entries(table)) {
    if (typeof fn !== 'function') throw new TypeError(`defineCatalogue('${spec}'): '${name}' is not a function`);
    const ref: ModuleRef = Object.freeze({ k: 'mod', spec, name });
    // The same module may load more than once (ESM and CommonJS builds, a bundled copy): the first definition serves.
    if (byRef.has(modKey(spec, name))) {
      out[name] = new OpHandle(ref, fn);
      continue;
    }
    byRef.set(modKey(spec, name), fn);
    if (!refOf.has(fn)) refOf.set(fn, ref);
    out[name] = new OpHandle(ref, fn);
  }
  namesOf.set(spec, [...new Set([...(namesOf.get(spec) ?? []), ...Object.keys(table)])]);
  return Object.freeze(out) as Catalogue<T>;
}

/** The OpRef of a catalogued function, if it is one. */
export function registeredRef(fn: OpFunction): OpRef | undefined {
  return refOf.get(fn);
}

/** Whether a value is an operation handle from a catalogue. */
export function isOp(x: unknown): x is Op {
  return typeof x === 'object' && x !== null && OP_BRAND in x;
}

/** A function known only by module and export name: usable wherever a task function is expected. */
export interface ModuleFunction<F extends OpFunction = OpFunction> {
  readonly moduleRef: ModuleRef;
  /** Phantom type of the referenced function. */
  readonly __fn?: F;
}

/**
 * References a function exported by a module, for user functions that need imports of their own
 * (they cannot be shipped as source). The worker imports `specifier` and calls `exportName`. Use a
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

/** The error for an operation its module does not have: a stale graph, or a worker of another build. */
export class UnknownOperationError extends Error {
  override name = 'UnknownOperationError';
  constructor(
    readonly spec: string,
    readonly opName: string,
    known: readonly string[] | undefined,
  ) {
    super(
      known
        ? `Unknown operation '${opName}' of '${spec}': its catalogue has ${known.length} operations (${known.slice(0, 12).join(', ')}${known.length > 12 ? ', …' : ''}); the graph may come from another version of the package`
        : `Module '${spec}' has no exported function '${opName}'`,
    );
  }
}

export async function resolveOp(op: OpRef): Promise<OpFunction> {
  const fn = resolveOpSync(op);
  if (fn) return fn;
  if (op.k !== 'mod') throw new Error('unreachable');
  const key = modKey(op.spec, op.name);
  let p = loading.get(key);
  if (!p) {
    p = import(/* @vite-ignore */ op.spec).then((mod: Record<string, unknown>) => {
      // Importing a catalogue module registers its operations; other modules (fromModule) export them.
      const registered = byRef.get(key);
      if (registered) return registered;
      const known = namesOf.get(op.spec);
      const f = known ? undefined : (mod[op.name] ?? (mod.default as Record<string, unknown> | undefined)?.[op.name]);
      if (typeof f !== 'function') throw new UnknownOperationError(op.spec, op.name, known);
      byRef.set(key, f as OpFunction);
      return f as OpFunction;
    });
    loading.set(key, p);
    p.catch(() => loading.delete(key));
  }
  return p;
}

