/**
 * A worker's results: in memory while they fit, spilled to its local directory (least recently
 * used first) past the target, and read back when a task or a peer asks for them (Dask's
 * zict-backed worker data). A value heavier than the whole target goes straight to disk, and is
 * read back for its user without taking the place of the values in memory (as zict's Buffer does).
 * Spill files (`spill-file.ts`) are written from the values' own memory, mode 0600 in a directory
 * of mode 0700.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkOptions, type Key, type OptionSchema } from '@pdask/core';
import { bytes } from '../options';
import { readSpillFile, writeSpillFile } from './spill-file';

export interface StoreOptions {
  /** Bytes of memory results may use; 0 disables spilling. */
  limit: number;
  /** Fraction of the limit that managed (in-memory) results may take before spilling. */
  target: number;
  /** The store's own directory: created (0700) at the first spill, removed by `dispose`. */
  directory: string;
  /** Told when a value cannot be spilled (it then stays in memory). */
  log?: (line: string) => void;
  /** Told of each spill-file write (`spill`) and read (`unspill`) with its `performance.now()` times (the dashboard's task stream). */
  onDiskIo?: (key: Key, kind: 'spill' | 'unspill', start: number, stop: number) => void;
  /**
   * Told of the bytes each read from disk has just allocated. Reading back grows the process as
   * storing a result does, and the value it pushes out stays garbage until collected: the owner's
   * memory checks must count it, or a run of read-backs between two timer checks passes the kill line.
   */
  onReadBack?: (nbytes: number) => void;
}

const STORE_OPTIONS: OptionSchema<StoreOptions> = {
  limit: bytes,
  target: (v) => (typeof v === 'number' && v >= 0 && v <= 1 ? undefined : 'a fraction in [0, 1]'),
  directory: 'string',
  log: 'function',
  onDiskIo: 'function',
  onReadBack: 'function',
};

export class DataStore {
  /** In memory; `file`: a copy read back from disk and kept there, so spilling it again writes nothing. */
  private readonly mem = new Map<Key, { v: unknown; n: number; file?: string }>();
  private readonly disk = new Map<Key, { file: string; n: number }>();
  private fileSeq = 0;
  managedBytes = 0;
  spilledBytes = 0;
  /** Bytes that left memory (spilled or deleted) since `takeReleased()`: garbage until collected. */
  private released = 0;
  private dirReady = false;
  private readonly log: (line: string) => void;

  constructor(private readonly opts: StoreOptions) {
    checkOptions('DataStore', opts, STORE_OPTIONS);
    this.log = opts.log ?? (() => undefined);
  }

  /** Managed bytes kept in memory before the least recently used are spilled (Infinity: never). */
  get budget(): number {
    return this.opts.limit > 0 ? this.opts.limit * this.opts.target : Infinity;
  }

  get size(): number {
    return this.mem.size + this.disk.size;
  }

  get spilledKeys(): number {
    return this.disk.size;
  }

  get directory(): string {
    return this.opts.directory;
  }

  has(k: Key): boolean {
    return this.mem.has(k) || this.disk.has(k);
  }

  /**
   * The value (read back from disk if it was spilled, which makes it recently used again; one
   * heavier than the whole budget stays on disk and is only lent to the caller).
   */
  get(k: Key): unknown {
    const m = this.mem.get(k);
    if (m) {
      // Most recently used last: spilling takes from the front.
      this.mem.delete(k);
      this.mem.set(k, m);
      return m.v;
    }
    const d = this.disk.get(k);
    if (!d) return undefined;
    const t0 = performance.now();
    const v = readSpillFile(d.file);
    this.opts.onDiskIo?.(k, 'unspill', t0, performance.now());
    this.opts.onReadBack?.(d.n);
    if (d.n > this.budget) {
      // Lent: garbage once the caller is done with it.
      this.released += d.n;
      return v;
    }
    this.disk.delete(k);
    this.spilledBytes -= d.n;
    this.mem.set(k, { v, n: d.n, file: d.file });
    this.managedBytes += d.n;
    this.maybeSpill(k);
    return v;
  }

  set(k: Key, v: unknown, nbytes: number): void {
    this.delete(k);
    this.mem.set(k, { v, n: nbytes });
    this.managedBytes += nbytes;
    if (nbytes > this.budget) this.spill(k, { v, n: nbytes });
    this.maybeSpill(k);
  }

  delete(k: Key): boolean {
    const m = this.mem.get(k);
    if (m) {
      this.mem.delete(k);
      this.managedBytes -= m.n;
      this.released += m.n;
      if (m.file) rmSync(m.file, { force: true });
      return true;
    }
    const d = this.disk.get(k);
    if (d) {
      this.disk.delete(k);
      this.spilledBytes -= d.n;
      rmSync(d.file, { force: true });
      return true;
    }
    return false;
  }

  clear(): void {
    for (const k of [...this.disk.keys(), ...this.mem.keys()]) this.delete(k);
  }

  keys(): Key[] {
    return [...this.mem.keys(), ...this.disk.keys()];
  }

  /** Bytes released from memory since the last call (the caller decides when to collect them). */
  takeReleased(): number {
    const r = this.released;
    this.released = 0;
    return r;
  }

  /** Spills least recently used results until managed memory is under the target (never `keep`). */
  maybeSpill(keep?: Key): void {
    const limit = this.budget;
    if (this.managedBytes <= limit) return;
    for (const [k, m] of this.mem) {
      if (this.managedBytes <= limit) break;
      if (k === keep) continue;
      this.spill(k, m);
    }
  }

  /** Spills the least recently used result in memory (when the process, not the store, is too big); false if none could be. */
  spillOldest(): boolean {
    for (const [k, m] of this.mem) if (this.spill(k, m)) return true;
    return false;
  }

  private spill(k: Key, m: { v: unknown; n: number; file?: string }): boolean {
    if (m.file) {
      this.mem.delete(k);
      this.managedBytes -= m.n;
      this.released += m.n;
      this.disk.set(k, { file: m.file, n: m.n });
      this.spilledBytes += m.n;
      return true;
    }
    if (!this.dirReady) {
      mkdirSync(dirname(this.opts.directory), { recursive: true, mode: 0o700 });
      // Exclusive: a directory that already exists (someone else's) is not taken over.
      mkdirSync(this.opts.directory, { mode: 0o700 });
      this.dirReady = true;
    }
    const file = join(this.opts.directory, `spill-${this.fileSeq++}`);
    const t0 = performance.now();
    try {
      writeSpillFile(file, m.v);
      this.opts.onDiskIo?.(k, 'spill', t0, performance.now());
    } catch (e) {
      rmSync(file, { force: true });
      // Kept in memory, as Dask keeps a value it cannot pickle: the pause line still protects the worker.
      this.log(`Could not spill '${k}' (${m.n} bytes): ${(e as Error).message}; it stays in memory`);
      return false;
    }
    this.mem.delete(k);
    this.managedBytes -= m.n;
    this.released += m.n;
    this.disk.set(k, { file, n: m.n });
    this.spilledBytes += m.n;
    return true;
  }

  /** Removes the spill directory (on close). */
  dispose(): void {
    this.clear();
    if (this.dirReady) rmSync(this.opts.directory, { recursive: true, force: true });
  }
}
