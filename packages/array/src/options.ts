/**
 * Option rules shared by the schemas of @pdask/array's public functions (every options object is
 * checked by core's checkOptions: a misspelt or unknown key fails with its name).
 */
import { optional, type OptionRule } from '@pdask/core';

/** A chunks spec: a size, 'auto', or per-dimension sizes or lists. */
export const CHUNKS: OptionRule = { anyOf: ['integer', { oneOf: ['auto'] }, 'array'] };
/** A dtype name ('float64', 'int32', 'bool', …): checked by toDType. */
export const DTYPE: OptionRule = 'string';
/** An axis, several, or null for every axis. */
export const AXIS: OptionRule = optional({ anyOf: ['integer', 'array', { oneOf: [null] }] });
/** splitEvery: a total or a record of per-axis values. */
export const SPLIT_EVERY_RULE: OptionRule = { anyOf: ['integer', 'object'] };
export const NOT_YET: OptionRule = { unsupported: 'not implemented yet' };
