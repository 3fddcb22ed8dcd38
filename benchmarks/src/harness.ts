/**
 * The benchmark harness: a workload runs in several systems side by side in one process tree,
 * so that ratios (not absolute times, which drift on a shared VM) are what we report.
 */

/** A system implemented in JavaScript/TypeScript, run in this process. */
export interface JsRun<C = unknown> {
  system: string;
  setup?: () => C | Promise<C>;
  run: (ctx: C) => unknown | Promise<unknown>;
  teardown?: (ctx: C) => void | Promise<void>;
  /** Returns a reason when the system cannot run here (e.g. an optional peer is not installed). */
  unavailable?: () => Promise<string | undefined> | string | undefined;
}

/** A system implemented in Python, run by benchmarks/python/driver.py under /usr/bin/python3. */
export interface PyRun {
  system: string;
  /** File under benchmarks/python/. */
  file: string;
  /** Name of a function returning a context object (optional). */
  setup?: string;
  /** Name of the function timed; it receives the context. */
  run: string;
  /** Python modules that must import for the system to be present. */
  requires: string[];
  /** Overrides of the workload's repetitions (slow reference systems). */
  repeat?: number;
  warmup?: number;
}

export interface Workload {
  id: string;
  group: string;
  description: string;
  /** Timed repetitions per system (median reported). */
  repeat?: number;
  warmup?: number;
  /** Work per run, for a throughput column (e.g. { count: 200_000, unit: 'tasks' }). */
  items?: { count: number; unit: string };
  /** The system every ratio is relative to (normally the Dask/NumPy reference). */
  reference: string;
  js: JsRun<any>[];
  python?: PyRun[];
  /** Targets from the issues: `system` must be at least `atLeast` times faster than `vs`. */
  targets?: { system: string; vs: string; atLeast: number }[];
}

export interface SystemResult {
  system: string;
  status: 'ok' | 'absent' | 'failed';
  reason?: string;
  times?: number[];
  medianMs?: number;
}

export interface WorkloadResult {
  id: string;
  group: string;
  description: string;
  reference: string;
  items?: { count: number; unit: string };
  systems: SystemResult[];
  targets: { system: string; vs: string; atLeast: number; measured?: number; met?: boolean }[];
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** speedup of `system` relative to `vs`: >1 means `system` is faster. */
export function speedup(result: WorkloadResult, system: string, vs: string): number | undefined {
  const a = result.systems.find((s) => s.system === system)?.medianMs;
  const b = result.systems.find((s) => s.system === vs)?.medianMs;
  return a !== undefined && b !== undefined && a > 0 ? b / a : undefined;
}
