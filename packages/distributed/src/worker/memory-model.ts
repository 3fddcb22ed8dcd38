/**
 * Where a memory-limited worker draws its lines, measured the way its nanny kills: on resident
 * memory (RSS). Dask's fractions (target 0.6, spill 0.7, pause 0.8, terminate 0.95) apply to the
 * room an idle worker leaves below the kill line, not to the whole limit: a Node worker is already
 * 70–90 MiB resident before it holds anything, and at a small limit (300 MB) Dask's lines drawn on
 * the whole limit leave values almost no room between the spill line and the kill line.
 *
 * With L the limit, B the idle worker's RSS (its baseline) and K = terminate × L the kill line, the
 * room is R = K − B, and a fraction f sits at B + (f / terminate) × R: equal to Dask's f × L when
 * B is 0, the terminate line itself at f = terminate, and always in Dask's order.
 */

export interface MemoryFractions {
  target: number;
  spill: number;
  pause: number;
  terminate: number;
}

/** Below this much room, a worker would spend its life spilling: it refuses to start. */
export const MIN_ROOM = 32 * 2 ** 20;

/** A worker's memory limit cannot hold what it was asked to hold (names the key, size and limit). */
export class MemoryLimitError extends Error {
  override name = 'MemoryLimitError';
}

const MiB = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MiB`;

export class MemoryModel {
  /** Bytes between the idle worker and the nanny's kill line: what values can ever occupy. */
  readonly room: number;
  /** Managed (stored) bytes kept in memory; more are spilled, least recently used first. */
  readonly managedTarget: number;
  /** RSS past which the worker spills until it is back under `targetRss`. */
  readonly spillRss: number;
  readonly targetRss: number;
  /** RSS past which the worker takes no more work. */
  readonly pauseRss: number;
  /** The nanny's kill line (terminate × limit, as in Dask). */
  readonly terminateRss: number;

  constructor(
    readonly limit: number,
    readonly baseline: number,
    readonly fractions: MemoryFractions,
  ) {
    const { target, spill, pause, terminate } = fractions;
    if (!(target <= spill && spill <= pause && pause <= terminate && terminate <= 1 && target > 0)) {
      throw new Error(`memory fractions must satisfy 0 < target <= spill <= pause <= terminate <= 1 (got ${target}, ${spill}, ${pause}, ${terminate})`);
    }
    this.terminateRss = terminate * limit;
    this.room = this.terminateRss - baseline;
    if (this.room < MIN_ROOM) {
      const need = Math.ceil((baseline + MIN_ROOM) / terminate / 2 ** 20);
      throw new MemoryLimitError(
        `memory limit ${MiB(limit)} is too small: an idle worker already uses ${MiB(baseline)} resident, ` +
          `leaving ${MiB(Math.max(0, this.room))} below the terminate threshold (${terminate} x limit); ` +
          `give at least ${need} MiB (--memory-limit ${need}MiB) or 0 for no limit`,
      );
    }
    const at = (f: number): number => baseline + (f / terminate) * this.room;
    this.managedTarget = (target / terminate) * this.room;
    this.targetRss = at(target);
    this.spillRss = at(spill);
    this.pauseRss = at(pause);
  }

  /**
   * Why a value of `nbytes` cannot be kept by this worker, or undefined if it can: one that does
   * not fit below the kill line even alone could be neither held nor read back from disk.
   */
  refusal(key: string, nbytes: number): MemoryLimitError | undefined {
    if (nbytes <= this.room) return undefined;
    return new MemoryLimitError(
      `the result of '${key}' is ${MiB(nbytes)}, more than this worker can hold: its memory limit is ${MiB(this.limit)}, ` +
        `of which ${MiB(this.room)} is left below the terminate threshold by the idle process (${MiB(this.baseline)}); ` +
        'make smaller chunks or give the workers a larger --memory-limit',
    );
  }
}
