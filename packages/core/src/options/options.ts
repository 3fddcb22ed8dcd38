/**
 * Strict options objects. Every public function that takes an options object checks it here, so
 * a misspelt key (`{ blockSize }` for `{ blocksize }`) fails with its name instead of being
 * ignored, a value of the wrong type names the option and what it got, and an option known from
 * Dask/pandas that pdask does not implement yet is refused by name rather than accepted.
 */

/** What an option accepts. A function rule returns a description of what is expected when the value does not fit. */
export type OptionRule =
  | 'any'
  | 'boolean'
  | 'number'
  /** A finite integer. */
  | 'integer'
  | 'string'
  | 'function'
  | 'object'
  | 'array'
  /** A bigint or a number. */
  | 'numeric'
  /** One of these literal values. */
  | { readonly oneOf: readonly (string | number | boolean | null)[] }
  /** Any of these rules. */
  | { readonly anyOf: readonly OptionRule[] }
  /** Known from Dask/pandas but not implemented: always refused, with the reason. */
  | { readonly unsupported: string }
  | ((value: unknown) => string | undefined);

/** A rule per option name. Typed against the options interface so a new option cannot be forgotten. */
export type OptionSchema<O> = { readonly [K in keyof Required<O>]: OptionRule };

/** The error of a bad options object: always a TypeError naming the function and the option. */
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

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `'${v.length > 40 ? `${v.slice(0, 40)}…` : v}' (string)`;
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'object') return `an object (${(Object.getPrototypeOf(v) as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'Object'})`;
  return `${String(v)} (${typeof v})`;
}

/** Why a value does not fit a rule, or undefined when it fits. */
function mismatch(rule: OptionRule, v: unknown): string | undefined {
  if (typeof rule === 'function') return rule(v);
  if (typeof rule === 'object') {
    if ('unsupported' in rule) return rule.unsupported;
    if ('oneOf' in rule) return rule.oneOf.includes(v as string) ? undefined : `one of ${rule.oneOf.map((x) => (typeof x === 'string' ? `'${x}'` : String(x))).join(', ')}`;
    const reasons: string[] = [];
    for (const r of rule.anyOf) {
      const m = mismatch(r, v);
      if (m === undefined) return undefined;
      reasons.push(m);
    }
    return reasons.join(' or ');
  }
  switch (rule) {
    case 'any':
      return undefined;
    case 'boolean':
      return typeof v === 'boolean' ? undefined : 'a boolean';
    case 'number':
      return typeof v === 'number' && !Number.isNaN(v) ? undefined : 'a number';
    case 'integer':
      return Number.isInteger(v) ? undefined : 'an integer';
    case 'numeric':
      return typeof v === 'bigint' || (typeof v === 'number' && !Number.isNaN(v)) ? undefined : 'a number or bigint';
    case 'string':
      return typeof v === 'string' ? undefined : 'a string';
    case 'function':
      return typeof v === 'function' ? undefined : 'a function';
    case 'array':
      return Array.isArray(v) || ArrayBuffer.isView(v) ? undefined : 'an array';
    case 'object':
      return typeof v === 'object' && v !== null ? undefined : 'an object';
  }
}

/** Damerau-free edit distance, for "did you mean" on short option names. */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** The known name a key is most likely a misspelling of (case or a few letters off), if any. */
export function nearestName(key: string, known: Iterable<string>): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = k.toLowerCase() === lower ? 0 : distance(lower, k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(key.length / 3)) ? best : undefined;
}

function suggestion(key: string, known: readonly string[]): string {
  const best = nearestName(key, known);
  return best !== undefined ? `; did you mean '${best}'?` : '';
}

/** A rule that accepts `undefined` as well: for options whose absence and `undefined` mean the same. */
export function optional(rule: OptionRule): OptionRule {
  return (v) => (v === undefined ? undefined : mismatch(rule, v));
}

/** A positive integer, at least `min` (default 1). */
export function intAtLeast(min: number): OptionRule {
  return (v) => (Number.isInteger(v) && (v as number) >= min ? undefined : `an integer >= ${min}`);
}

/**
 * Checks an options object against its schema and returns it (typed): unknown keys, values of the
 * wrong type and unsupported options fail with an OptionError naming `fn` and the option. An
 * option present with the value `undefined` counts as absent.
 */
export function checkOptions<O extends object>(fn: string, opts: O | undefined | null, schema: OptionSchema<O>): O {
  if (opts === undefined || opts === null) return {} as O;
  if (typeof opts !== 'object' || Array.isArray(opts)) {
    throw new OptionError(`${fn}: options must be an object, got ${describe(opts)}`, fn, '');
  }
  const rules = schema as Readonly<Record<string, OptionRule>>;
  for (const key of Object.keys(opts)) {
    const rule = Object.prototype.hasOwnProperty.call(rules, key) ? rules[key] : undefined;
    if (rule === undefined) {
      const known = Object.keys(rules).filter((k) => !(typeof rules[k] === 'object' && 'unsupported' in (rules[k] as object)));
      throw new OptionError(`${fn}: unknown option '${key}' (known: ${known.join(', ') || 'none'})${suggestion(key, known)}`, fn, key);
    }
    const v = (opts as Record<string, unknown>)[key];
    if (v === undefined) continue;
    const why = mismatch(rule, v);
    if (why === undefined) continue;
    if (typeof rule === 'object' && 'unsupported' in rule) throw new OptionError(`${fn}: option '${key}' is not supported: ${why}`, fn, key);
    throw new OptionError(`${fn}: option '${key}' must be ${why}, got ${describe(v)}`, fn, key);
  }
  return opts;
}
