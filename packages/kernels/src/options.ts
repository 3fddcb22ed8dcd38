/**
 * Strict option keys for the kernels' public functions and methods: a misspelt key fails by name
 * instead of being ignored. The kernels do not depend on @pdask/core, so this is a small local
 * check with core's message format (`<fn>: unknown option 'x' (known: a, b)`); it runs per kernel
 * call, so it only walks the few keys given.
 */

/** The error of a bad options object: a TypeError naming the function and the option. */
export class OptionError extends TypeError {
  override name = 'OptionError';
  constructor(
    message: string,
    readonly fn: string,
    readonly option: string,
  ) {
    super(message);
  }
}

/** Throws when `opts` is not an object or has a key outside `known`. */
export function checkOptionKeys(fn: string, opts: object | undefined, known: readonly string[]): void {
  if (opts === undefined) return;
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
    throw new OptionError(`${fn}: options must be an object, got ${opts === null ? 'null' : Array.isArray(opts) ? 'an array' : typeof opts}`, fn, '');
  }
  for (const key in opts) {
    if (!known.includes(key)) throw new OptionError(`${fn}: unknown option '${key}' (known: ${known.join(', ') || 'none'})`, fn, key);
  }
}

/** The option names of an options interface, all of them: TypeScript fails when one is missing. */
export function optionKeys<O>(all: { readonly [K in keyof Required<O>]: true }): readonly string[] {
  return Object.keys(all);
}
