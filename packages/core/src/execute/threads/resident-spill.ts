/**
 * A worker thread's task results under a memory budget (Dask's zict-backed worker data, for the
 * threads executor): past the budget, the least recently used results are written to the pool's
 * spill directory and read back when a task, a peer or the caller asks for them. One budget per
 * thread covers every map it keeps (each computation's results and the persisted ones). A result
 * heavier than the whole budget goes straight to disk and is lent to each reader without evicting
 * the others. Files are removed as their results are released, and the pool removes the directory
 * when it closes (or the process exits).
 *
 * Without a budget (the default) a map is a Map: nothing is measured or written.
 */
import { fs, path, v8, vm } from './resident-spill-node';
import { readResidentSpill, spillable, writeResidentSpill } from './resident-spill-file';

/** What the pool tells its worker threads (see memory-setting.ts). */
export interface MemorySetting {
  /** Bytes of results one worker thread keeps in memory; 0: no limit. */
  readonly budget: number;
  /** The pool's spill directory (made at the first spill). */
  readonly dir: string;
}

interface Entry {
  readonly map: SpillMap;
  readonly key: number;
  value: unknown;
  readonly nbytes: number;
  /** On disk (value undefined), or, if also in memory, a copy already written. */
  file?: string;
  /** Could not be written (not spillable, or the write failed): kept in memory, not tried again. */
  stuck?: boolean;
  /** Another map's entry under this id (a persisted result is also a result of its computation). */
  alias?: { readonly map: SpillMap; readonly id: number };
}

export interface SpillStats {
  /** Bytes of results held in memory (measured with sizeOf). */
  bytesInMemory: number;
  bytesSpilled: number;
  /** Bytes written to spill files over the thread's life (file sizes). */
  spillBytesWritten: number;
  /** Files written / read back over the thread's life, and on disk now. */
  spillFilesWritten: number;
  spillFilesRead: number;
  spillFilesLive: number;
  /** The most bytes of results held at once, in memory and on disk (measured while a budget is set). */
  peakBytesHeld: number;
  /** The most bytes of results in memory once spilling made room (at most the budget, or one result heavier than it). */
  peakBytesInMemory: number;
}

let fullGc: (() => void) | null | undefined;
const COLLECT_EVERY_MS = 50;

/**
 * V8's full collection, made callable in this thread. Spilled values are garbage until V8 collects
 * them, which it does late for memory it does not own (array buffers): a thread that spills
 * faster than that grows as if it kept everything (Dask calls gc.collect() for the same reason).
 */
function collect(): void {
  if (fullGc === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      fullGc = vm.runInNewContext('gc') as () => void;
    } catch {
      fullGc = null;
    }
  }
  fullGc?.();
}

export class SpillBudget {
  /**
   * Results in memory that may be spilled, least recently used first. Kept only under a budget:
   * without one, a Set add and delete per result (and two per read) of objects never hashed
   * before were a tenth of a worker's time on tiny tasks. Rebuilt from the maps when a budget is set.
   */
  private readonly lru = new Set<Entry>();
  /** The maps counted here (for rebuilding the LRU order when a budget is set). */
  private readonly maps = new Set<SpillMap>();
  private budget = 0;
  private dir = '';
  private dirReady = false;
  private seq = 0;
  /** Bytes that left memory since the last collection, and whether one is due. */
  private released = 0;
  private collecting = false;
  private lastCollect = 0;
  readonly stats: SpillStats = { bytesInMemory: 0, bytesSpilled: 0, spillBytesWritten: 0, spillFilesWritten: 0, spillFilesRead: 0, spillFilesLive: 0, peakBytesHeld: 0, peakBytesInMemory: 0 };

  constructor(private readonly prefix: string) {}

  get active(): boolean {
    return this.budget > 0;
  }

  configure(setting: MemorySetting): void {
    if (setting.dir !== this.dir) this.dirReady = false;
    const wasActive = this.active;
    this.budget = setting.budget;
    this.dir = setting.dir;
    if (this.active && !wasActive) {
      // Untracked until now: every map's results in memory, in the order each map stored them.
      this.lru.clear();
      for (const map of this.maps) for (const e of map.memoryEntries()) if (!e.stuck) this.lru.add(e);
    } else if (!this.active) this.lru.clear();
    this.maybeSpill();
  }

  /** A map that holds (or may hold) entries counted here. */
  register(map: SpillMap): void {
    this.maps.add(map);
  }

  /** A map cleared for good (its computation ended). */
  unregister(map: SpillMap): void {
    this.maps.delete(map);
  }

  /** Counts a result in memory, then spills what no longer fits (never `e` itself unless it alone exceeds the budget). */
  added(e: Entry): void {
    this.stats.bytesInMemory += e.nbytes;
    const held = this.stats.bytesInMemory + this.stats.bytesSpilled;
    if (held > this.stats.peakBytesHeld) this.stats.peakBytesHeld = held;
    if (this.budget <= 0) {
      if (this.stats.bytesInMemory > this.stats.peakBytesInMemory) this.stats.peakBytesInMemory = this.stats.bytesInMemory;
      return;
    }
    if (!e.stuck) this.lru.add(e);
    if (e.nbytes > this.budget) this.spill(e);
    this.maybeSpill(e);
    if (this.stats.bytesInMemory > this.stats.peakBytesInMemory) this.stats.peakBytesInMemory = this.stats.bytesInMemory;
  }

  touched(e: Entry): void {
    if (this.budget <= 0 || !this.lru.delete(e)) return;
    this.lru.add(e);
  }

  /** The entry leaves its map: its memory and file go. */
  removed(e: Entry): void {
    if (e.value !== undefined || !e.file) {
      this.stats.bytesInMemory -= e.nbytes;
      if (this.budget > 0) this.lru.delete(e);
      this.release(e.nbytes);
    } else this.stats.bytesSpilled -= e.nbytes;
    if (e.file) this.removeFile(e.file);
    e.file = undefined;
    e.value = undefined;
  }

  /** A spilled result's value: read back into memory, or only lent if it alone exceeds the budget. */
  restore(e: Entry): unknown {
    const v = readResidentSpill(e.file!);
    this.stats.spillFilesRead++;
    if (this.budget > 0 && e.nbytes > this.budget) return v;
    e.value = v;
    this.stats.bytesSpilled -= e.nbytes;
    // Its file stays: spilling it again costs nothing (removed with the entry).
    this.added(e);
    return v;
  }

  maybeSpill(keep?: Entry): void {
    if (this.budget <= 0 || this.stats.bytesInMemory <= this.budget) return;
    for (const e of this.lru) {
      if (this.stats.bytesInMemory <= this.budget) break;
      if (e !== keep) this.spill(e);
    }
  }

  private spill(e: Entry): void {
    this.lru.delete(e);
    if (!e.file) {
      if (!e.map.canSpill(e.value) || !spillable(e.value)) {
        e.stuck = true;
        return;
      }
      if (!this.dirReady) {
        fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
        this.dirReady = true;
      }
      const file = path.join(this.dir, `${this.prefix}${this.seq++}.spill`);
      try {
        this.stats.spillBytesWritten += writeResidentSpill(file, e.value);
      } catch {
        // Kept in memory, as Dask keeps a value it cannot pickle (a detached buffer, a full disk).
        fs.rmSync(file, { force: true });
        e.stuck = true;
        return;
      }
      e.file = file;
      this.stats.spillFilesWritten++;
      this.stats.spillFilesLive++;
    }
    e.value = undefined;
    this.stats.bytesInMemory -= e.nbytes;
    this.stats.bytesSpilled += e.nbytes;
    this.release(e.nbytes);
  }

  /**
   * Collects once a budget's worth of results left memory: after the running task (which may still
   * reference what was spilled), on the worker's next turn of the event loop; at most every
   * COLLECT_EVERY_MS (a full collection costs milliseconds: a small budget must not mean one per task).
   */
  private release(nbytes: number): void {
    if (this.budget <= 0) return;
    this.released += nbytes;
    if (this.released < this.budget || this.collecting || performance.now() - this.lastCollect < COLLECT_EVERY_MS) return;
    this.collecting = true;
    setImmediate(() => {
      this.collecting = false;
      this.released = 0;
      collect();
      this.lastCollect = performance.now();
    });
  }

  private removeFile(file: string): void {
    fs.rmSync(file, { force: true });
    this.stats.spillFilesLive--;
  }
}

export interface SpillMapOptions {
  /** Values of this map that must stay in memory (e.g. one object kept under two names). */
  canSpill?: (value: unknown) => boolean;
  /** Told of each value read back from disk (a new object standing for the spilled one). */
  onRestore?: (value: unknown) => void;
}

/** A Map of task results by id whose values may be on disk (see SpillBudget). */
export class SpillMap {
  private readonly entries = new Map<number, Entry>();
  /** Counted by its budget's list of maps (until cleared; a set after that counts it again). */
  private registered = true;

  constructor(
    private readonly budget: SpillBudget,
    private readonly sizeOf: (v: unknown) => number,
    private readonly opts: SpillMapOptions = {},
  ) {
    budget.register(this);
  }

  /** Entries whose values are in memory (the budget's LRU order, when a budget is first set). */
  *memoryEntries(): IterableIterator<Entry> {
    for (const e of this.entries.values()) if (e.value !== undefined && e.alias === undefined) yield e;
  }

  get size(): number {
    return this.entries.size;
  }

  canSpill(value: unknown): boolean {
    return this.opts.canSpill?.(value) ?? true;
  }

  has(id: number): boolean {
    const e = this.entries.get(id);
    return e !== undefined && (e.alias === undefined || e.alias.map.has(e.alias.id));
  }

  get(id: number): unknown {
    const e = this.entries.get(id);
    if (!e) return undefined;
    if (e.alias) return e.alias.map.get(e.alias.id);
    if (e.value !== undefined || !e.file) {
      this.budget.touched(e);
      return e.value;
    }
    const v = this.budget.restore(e);
    this.opts.onRestore?.(v);
    return v;
  }

  /** Stores a result; `nbytes` if already measured. */
  set(id: number, value: unknown, nbytes?: number): this {
    this.delete(id);
    if (!this.registered) this.reRegister();
    const e: Entry = { map: this, key: id, value, nbytes: this.budget.active ? (nbytes ?? this.sizeOf(value)) : (nbytes ?? 0) };
    // undefined is what a spilled entry holds: never spilled, so never confused with one.
    if (value === undefined) e.stuck = true;
    this.entries.set(id, e);
    this.budget.added(e);
    return this;
  }

  /**
   * `id` here names the value `map` holds under `targetId`: one copy, which spills there, rather
   * than a second reference that would keep it in memory.
   */
  setAlias(id: number, map: SpillMap, targetId: number): this {
    this.delete(id);
    if (!this.registered) this.reRegister();
    const e: Entry = { map: this, key: id, value: undefined, nbytes: 0, stuck: true, alias: { map, id: targetId } };
    this.entries.set(id, e);
    this.budget.added(e);
    return this;
  }

  delete(id: number): boolean {
    const e = this.entries.get(id);
    if (!e) return false;
    this.entries.delete(id);
    this.budget.removed(e);
    return true;
  }

  /** Removes every entry; the map is done with (its budget no longer counts it). */
  clear(): void {
    for (const e of this.entries.values()) this.budget.removed(e);
    this.entries.clear();
    this.budget.unregister(this);
    this.registered = false;
  }

  private reRegister(): void {
    this.budget.register(this);
    this.registered = true;
  }
}
