/**
 * Option rules the dataframe API shares (core's checkOptions does the checking): splitEvery, an
 * option accepted only at the value pdask implements, and options objects that also carry
 * compute() options (head, toCsv, toParquet).
 */
import { checkComputeOptions, checkOptions, COMPUTE_OPTION_NAMES, type ComputeOptions, type OptionRule, type OptionSchema } from '@pdask/core';

/** An integer >= 2, or false (one combine over everything). */
export const splitEveryRule: OptionRule = (v) => (v === false || (Number.isInteger(v) && (v as number) >= 2) ? undefined : 'an integer >= 2 or false');

/**
 * An option pandas/Dask has whose only value pdask implements is its default: that value is
 * accepted (it is what happens), any other is refused with `why`.
 */
export function onlyValue(value: string | number | boolean, why: string): OptionRule {
  return (v) => (v === value ? undefined : `${JSON.stringify(value)} (${why})`);
}


/**
 * Checks options that extend ComputeOptions: unknown keys fail naming every known one, and the
 * compute options are returned apart, checked, for the compute() call.
 */
export function checkWithCompute<O extends ComputeOptions>(fn: string, opts: O | undefined, own: OptionSchema<Omit<O, keyof ComputeOptions>>): { own: O; compute: ComputeOptions } {
  const all = checkOptions(fn, opts, { ...COMPUTE_OPTION_NAMES, ...own } as unknown as OptionSchema<O>);
  const compute: Record<string, unknown> = {};
  for (const k of Object.keys(COMPUTE_OPTION_NAMES)) if ((all as Record<string, unknown>)[k] !== undefined) compute[k] = (all as Record<string, unknown>)[k];
  return { own: all, compute: checkComputeOptions(compute as ComputeOptions, fn) };
}

/**
 * A schema plus options known from pandas/Dask that pdask does not implement: those are refused by
 * name with the reason (they are not in the options' type, so TypeScript refuses them as well).
 */
export function refusing<O>(schema: OptionSchema<O>, unsupported: Readonly<Record<string, string>>): OptionSchema<O> {
  const out: Record<string, OptionRule> = { ...(schema as Record<string, OptionRule>) };
  for (const [k, why] of Object.entries(unsupported)) out[k] = { unsupported: why };
  return out as OptionSchema<O>;
}

export const NOT_YET = 'not implemented yet';
