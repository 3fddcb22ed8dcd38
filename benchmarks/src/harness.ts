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
  /**
   * `run` resolves to its own duration in ms, timed where the work runs (a browser page: the
   * driver's round trip to the page is not the system's time, as Python's driver times itself).
   */
  timesItself?: boolean;
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
  /** Why a module of `requires` may be missing here, said when it is (default: the setup hint). */
  whenMissing?: string;
  /** Overrides of the workload's repetitions (slow reference systems). */
  repeat?: number;
  warmup?: number;
  /** Give up after this long (default 10 minutes): the result is then a lower bound on its time. */
  timeoutMs?: number;
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
  /**
   * Run each JS system in a process of its own and record every system's peak resident memory
   * (the JS process's, its threads included; Python's `ru_maxrss`). A workload whose memory is
   * part of its result needs this: in the shared harness process one system's heap is another's.
   */
  isolate?: boolean;
}

export interface SystemResult {
  system: string;
  status: 'ok' | 'absent' | 'failed' | 'timeout';
  reason?: string;
  times?: number[];
  medianMs?: number;
  /** For 'timeout': the time it had run when stopped (a lower bound on one run). */
  atLeastMs?: number;
  /** Peak resident set of the process that ran the system (isolated workloads only), MiB. */
  peakRssMiB?: number;
}

export interface WorkloadResult {
  id: string;
  group: string;
  description: string;
  reference: string;
  items?: { count: number; unit: string };
  systems: SystemResult[];
  targets: { system: string; vs: string; atLeast: number; measured?: number; met?: boolean; lowerBound?: boolean }[];
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Speedup of `system` relative to `vs`: >1 means `system` is faster. When `vs` timed out, its
 * `atLeastMs` (the elapsed time over its runs) bounds a run's time if its runs are alike, so the
 * speedup is a lower bound under that assumption (`lowerBound: true`).
 */
export function speedupOf(result: WorkloadResult, system: string, vs: string): { value: number; lowerBound: boolean } | undefined {
  const a = result.systems.find((s) => s.system === system);
  const b = result.systems.find((s) => s.system === vs);
  if (a?.medianMs === undefined || a.medianMs <= 0 || !b) return undefined;
  if (b.medianMs !== undefined) return { value: b.medianMs / a.medianMs, lowerBound: false };
  if (b.status === 'timeout' && b.atLeastMs !== undefined) return { value: b.atLeastMs / a.medianMs, lowerBound: true };
  return undefined;
}

export function speedup(result: WorkloadResult, system: string, vs: string): number | undefined {
  return speedupOf(result, system, vs)?.value;
}
