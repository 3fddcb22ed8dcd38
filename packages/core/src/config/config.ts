import { mainPlatform } from '#platform';
import { nearestName } from '../options/options';

/**
 * A small configuration store in the spirit of `dask.config`: dotted keys ("scheduler",
 * "threads.memory-limit"), defaults, `PDASK_*` environment overrides, and scoped `set`.
 * Keys are normalised: case-insensitive, and "_" is the same as "-".
 */
export type ConfigValue = string | number | boolean | null | ConfigValue[] | { [k: string]: ConfigValue };

const defaults: Record<string, ConfigValue> = {
  scheduler: 'threads',
  'num-workers': mainPlatform.cores(),
  progress: false,
  'optimization.fuse.active': true,
  'scheduler.allowed-failures': 3,
  'threads.target-batch-ms': 4,
  'threads.max-old-generation-mb': 0,
  'threads.worker-url': null,
  'threads.memory-limit': 0,
  'threads.memory-target': 0.6,
  'shuffle.memory-budget': '256MiB',
  'visualize.color': 'none',
};

const overrides: Map<string, ConfigValue>[] = [];

/** Node's environment; a browser has none. */
const processEnv = (): NodeJS.ProcessEnv => (globalThis as { process?: { env?: NodeJS.ProcessEnv } }).process?.env ?? {};

export function normalizeKey(key: string): string {
  return key.trim().toLowerCase().replace(/_/g, '-');
}

function parseEnvValue(raw: string): ConfigValue {
  try {
    return JSON.parse(raw) as ConfigValue;
  } catch {
    return raw;
  }
}

/** `PDASK_SCHEDULER=sync` -> "scheduler"; `PDASK_THREADS__MEMORY_LIMIT=2GiB` -> "threads.memory-limit". */
function fromEnv(env: NodeJS.ProcessEnv): Map<string, ConfigValue> {
  const m = new Map<string, ConfigValue>();
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('PDASK_') || raw === undefined) continue;
    const key = normalizeKey(name.slice(6).split('__').join('.'));
    m.set(key, parseEnvValue(raw));
  }
  return m;
}

let envCache: Map<string, ConfigValue> | undefined;

/**
 * Re-reads `PDASK_*` environment variables (they are read once, on first use, as Dask reads
 * `DASK_*` at import; `get` is on hot paths).
 */
export function refresh(): void {
  envCache = fromEnv(processEnv());
}

/** Reads a configuration value: innermost `set` scope, then environment, then defaults. */
export function get<T extends ConfigValue = ConfigValue>(key: string, fallback?: T): T {
  const k = normalizeKey(key);
  for (let i = overrides.length - 1; i >= 0; i--) {
    if (overrides[i].has(k)) return overrides[i].get(k) as T;
  }
  const env = (envCache ??= fromEnv(processEnv()));
  if (env.has(k)) return env.get(k) as T;
  if (k in defaults) return defaults[k] as T;
  if (fallback !== undefined) return fallback;
  throw new Error(`Unknown configuration key '${key}' (known: ${Object.keys(defaults).join(', ')})`);
}

export interface ConfigScope {
  /** Undoes this `set` (scopes may be restored in any order). */
  restore(): void;
  [Symbol.dispose](): void;
}

/**
 * Sets values until `restore()` is called: `const s = config.set({ scheduler: 'sync' }); try { … }
 * finally { s.restore(); }` — the equivalent of `with dask.config.set(...)`.
 */
export function set(values: Record<string, ConfigValue>): ConfigScope {
  const layer = new Map<string, ConfigValue>();
  for (const [k, v] of Object.entries(values)) {
    const key = normalizeKey(k);
    checkStrictKey(k, key);
    layer.set(key, v);
  }
  overrides.push(layer);
  const restore = (): void => {
    const i = overrides.indexOf(layer);
    if (i >= 0) overrides.splice(i, 1);
  };
  return { restore, [Symbol.dispose]: restore };
}

/**
 * Namespaces whose every key core defines: a misspelt memory setting ('threads.memory-limt') would
 * otherwise be kept and never read, and the computation would run without the limit it was given.
 */
const STRICT_NAMESPACES = ['threads.', 'shuffle.'];

function checkStrictKey(given: string, key: string): void {
  if (key in defaults || !STRICT_NAMESPACES.some((ns) => key.startsWith(ns))) return;
  const ns = STRICT_NAMESPACES.find((n) => key.startsWith(n))!;
  const known = Object.keys(defaults).filter((k) => k.startsWith(ns));
  const near = nearestName(key, known);
  throw new Error(`Unknown configuration key '${given}'${near ? `; did you mean '${near}'?` : ''} (known ${ns}* keys: ${known.join(', ')})`);
}

/** Registers defaults for a package's own keys (e.g. "array.chunk-size"); existing ones stay. */
export function addDefaults(values: Record<string, ConfigValue>): void {
  for (const [k, v] of Object.entries(values)) {
    const key = normalizeKey(k);
    if (!(key in defaults)) defaults[key] = v;
  }
}
