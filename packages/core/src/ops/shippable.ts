import { parse, type Node as AcornNode } from 'acorn';
import { analyze } from 'eslint-scope';
import type { OpRef } from '../graph/spec';
import { isModuleFunction, isOp, registeredRef, type ModuleFunction, type Op, type OpFunction } from './registry';

/** A function that cannot run on another thread or machine, with the reason. */
export class UnshippableFunctionError extends Error {
  override name = 'UnshippableFunctionError';
  constructor(
    message: string,
    readonly functionName: string,
    readonly captured: readonly string[] = [],
  ) {
    super(message);
  }
}

const cache = new WeakMap<OpFunction, OpRef>();
/**
 * Checked functions by name and source text. Whether a function ships depends on nothing else,
 * and an inline arrow is a new object every time the code that builds a graph runs: parsing its
 * source again would cost more than building the graph.
 */
const bySource = new Map<string, OpRef>();

/** Names every worker has without capturing anything (the standard globals of Node and browsers). */
function isGlobal(name: string): boolean {
  return name in globalThis || name === 'arguments';
}

/** Parses function source text as an expression, accepting method shorthand (`f(x) {…}`). */
function parseFunction(src: string): { ast: AcornNode; wrapped: string } {
  const candidates = [`(${src})`, `({ ${src} })`];
  let lastError: unknown;
  for (const wrapped of candidates) {
    try {
      return { ast: parse(wrapped, { ecmaVersion: 'latest', sourceType: 'script', ranges: true }) as AcornNode, wrapped };
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError;
}

/** Identifiers a function reads from an enclosing scope that is not the global one. */
export function capturedNames(src: string): string[] {
  return capturedIn(parseFunction(src).ast);
}

function capturedIn(ast: AcornNode): string[] {
  // eslint-scope's types are written for ESTree; acorn produces ESTree nodes.
  const manager = analyze(ast as never, { ecmaVersion: 2022, sourceType: 'script' });
  const names = new Set<string>();
  for (const ref of manager.globalScope!.through) {
    const name = ref.identifier.name;
    if (!isGlobal(name)) names.add(name);
  }
  return [...names];
}

function describe(fn: OpFunction): string {
  return fn.name ? `'${fn.name}'` : 'an anonymous function';
}

/**
 * The shippable reference of a task function: a registered built-in or module reference as is, a
 * user function as its source text after checking that it is self-contained. Fails here, at graph
 * construction, rather than with a ReferenceError later on a worker.
 */
export function toOpRef(fn: OpFunction | ModuleFunction | Op): OpRef {
  if (isOp(fn)) return fn.ref;
  if (isModuleFunction(fn)) return fn.moduleRef;
  if (typeof fn !== 'function') throw new TypeError(`Expected a function, got ${typeof fn}`);
  const known = registeredRef(fn) ?? cache.get(fn);
  if (known) return known;
  const src = Function.prototype.toString.call(fn);
  const name = fn.name.replace(/^bound /, '');
  const sourceKey = `${name}\0${src}`;
  const seen = bySource.get(sourceKey);
  if (seen) {
    cache.set(fn, seen);
    return seen;
  }
  if (/\{\s*\[native code\]\s*\}\s*$/.test(src)) {
    throw new UnshippableFunctionError(
      `Cannot ship ${describe(fn)} to a worker: it is a native or bound function, which has no source to send. ` +
        `Wrap it in a plain function (x => ${name || 'f'}(x)), or reference its module with fromModule(specifier, exportName).`,
      name,
    );
  }
  if (/^class[\s{]/.test(src)) {
    throw new UnshippableFunctionError(`Cannot ship ${describe(fn)} to a worker: it is a class, not a function.`, name);
  }
  let captured: string[];
  let shipped = src;
  try {
    const parsed = parseFunction(src);
    captured = capturedIn(parsed.ast);
    // Method shorthand (`f(x) { … }`) is not an expression on its own; ship it inside an object.
    if (parsed.wrapped.startsWith('({')) shipped = `Object.values(${parsed.wrapped})[0]`;
  } catch (e) {
    throw new UnshippableFunctionError(
      `Cannot ship ${describe(fn)} to a worker: its source text could not be parsed (${(e as Error).message}).`,
      name,
    );
  }
  if (captured.length) {
    const list = captured.map((c) => `'${c}'`).join(', ');
    const label = name || 'fn';
    throw new UnshippableFunctionError(
      `Cannot ship ${describe(fn)} to a worker: it captures ${list} from its enclosing scope, which a worker does not have. ` +
        `Pass ${captured.length > 1 ? 'them' : 'it'} as ${captured.length > 1 ? 'arguments' : 'an argument'} instead ` +
        `(e.g. delayed(${label})(${captured.join(', ')}, ...) with ${label} taking ${captured.length > 1 ? 'them' : 'it'} as a parameter), ` +
        `or export the function from a module and use fromModule(specifier, exportName).`,
      name,
      captured,
    );
  }
  const ref: OpRef = { k: 'src', src: shipped, name };
  cache.set(fn, ref);
  if (bySource.size >= 4096) bySource.clear(); // bounded: generated functions could be endless
  bySource.set(sourceKey, ref);
  return ref;
}
