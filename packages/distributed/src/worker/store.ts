/**
 * A worker's results: in memory while they fit, spilled to its local directory (least recently
 * used first) past the target fraction of its memory limit, and read back when a task or a peer
 * asks for them (Dask's zict-backed worker data).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkOptions, type Key, type OptionSchema } from '@pdask/core';
import { bytes } from '../options';
import { decode, encode } from '../protocol/codec';

export interface StoreOptions {
  /** Bytes; 0 disables spilling. */
  limit: number;
  /** Fraction of the limit that managed (in-memory) results may take before spilling. */
  target: number;
  directory: string;
}

const STORE_OPTIONS: OptionSchema<StoreOptions> = {
  limit: bytes,
  target: (v) => (typeof v === 'number' && v >= 0 && v <= 1 ? undefined : 'a fraction in [0, 1]'),
  directory: 'string',
};

export class DataStore {
  private readonly mem = new Map<Key, { v: unknown; n: number }>();
  private readonly disk = new Map<Key, { file: string; n: number }>();
  private fileSeq = 0;
  managedBytes = 0;
  spilledBytes = 0;
  private dirReady = false;

  constructor(private readonly opts: StoreOptions) {
    checkOptions('DataStore', opts, STORE_OPTIONS);
  }

  get size(): number {
    return this.mem.size + this.disk.size;
  }

  get spilledKeys(): number {
    return this.disk.size;
  }

  has(k: Key): boolean {
    return this.mem.has(k) || this.disk.has(k);
  }

  /** The value (read back from disk if it was spilled, which makes it recently used again). */
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
    const v = decode(readFileSync(d.file));
    this.disk.delete(k);
    this.spilledBytes -= d.n;
    rmSync(d.file, { force: true });
    this.mem.set(k, { v, n: d.n });
    this.managedBytes += d.n;
    this.maybeSpill(k);
    return v;
  }

  set(k: Key, v: unknown, nbytes: number): void {
    this.delete(k);
    this.mem.set(k, { v, n: nbytes });
    this.managedBytes += nbytes;
    this.maybeSpill(k);
  }

  delete(k: Key): boolean {
    const m = this.mem.get(k);
    if (m) {
      this.mem.delete(k);
      this.managedBytes -= m.n;
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
    for (const k of [...this.disk.keys()]) this.delete(k);
    this.mem.clear();
    this.managedBytes = 0;
  }

  keys(): Key[] {
    return [...this.mem.keys(), ...this.disk.keys()];
  }

  /** Spills least recently used results until managed memory is under the target (never `keep`). */
  maybeSpill(keep?: Key): void {
    const limit = this.opts.limit * this.opts.target;
    if (this.opts.limit <= 0 || this.managedBytes <= limit) return;
    for (const [k, m] of this.mem) {
      if (this.managedBytes <= limit) break;
      if (k === keep) continue;
      this.spill(k, m);
    }
  }

  private spill(k: Key, m: { v: unknown; n: number }): void {
    if (!this.dirReady) {
      mkdirSync(this.opts.directory, { recursive: true });
      this.dirReady = true;
    }
    const file = join(this.opts.directory, `spill-${this.fileSeq++}.msgpack`);
    writeFileSync(file, encode(m.v));
    this.mem.delete(k);
    this.managedBytes -= m.n;
    this.disk.set(k, { file, n: m.n });
    this.spilledBytes += m.n;
  }

  /** Removes the spill directory (on close). */
  dispose(): void {
    this.clear();
    if (this.dirReady) rmSync(this.opts.directory, { recursive: true, force: true });
  }
}
