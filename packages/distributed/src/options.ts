/**
 * The option schemas of the public entry points (core's checkOptions): a misspelt key fails by
 * name, and options Dask/distributed/dask-jobqueue have that pdask does not implement are declared
 * in the option interfaces as `never` (a type error in TypeScript) and refused by name here at run
 * time, never accepted and ignored.
 */
import { intAtLeast, type OptionRule } from '@pdask/core';

/** An option Dask has and pdask does not: refused with the reason. */
export const notYet = (why = 'not implemented yet'): OptionRule => ({ unsupported: why });

/** A Record<string, number> (resources). */
export const numberRecord: OptionRule = (v) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'number') ? undefined : 'an object of numbers';

/** An array of strings (worker names or addresses, #SBATCH lines). */
export const strings: OptionRule = (v) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? undefined : 'an array of strings');

/** A number of milliseconds, at least 0. */
export const millis: OptionRule = (v) => (typeof v === 'number' && v >= 0 ? undefined : 'a number of milliseconds >= 0');

export const nonNegativeInt = intAtLeast(0);

/** A port range [first, last]. */
export const portRange: OptionRule = (v) =>
  Array.isArray(v) && v.length === 2 && v.every((x) => Number.isInteger(x) && x >= 0 && x <= 65535) && v[0] <= v[1] ? undefined : 'a port range [first, last]';

/** A port, or a port range [first, last]. */
export const portOrRange: OptionRule = (v) => (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535 ? undefined : portRange(v));

/** The scheme of a published address. */
export const protocol: OptionRule = { oneOf: ['tcp', 'tls', 'ws', 'wss'] };

/** Bytes (a memory limit), at least 0. */
export const bytes: OptionRule = (v) => (typeof v === 'number' && v >= 0 ? undefined : 'a number of bytes >= 0');

/** The worker or job count of `scale(n)`: an integer >= 0. */
export function checkCount(fn: string, n: unknown): void {
  if (!Number.isInteger(n) || (n as number) < 0) throw new TypeError(`${fn}: n must be an integer >= 0, got ${typeof n === 'string' ? `'${n}'` : String(n)}`);
}
