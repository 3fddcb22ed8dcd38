/**
 * Shuffle pieces past a worker's budget, in files under its local directory (the directory its
 * nanny removes when the process dies, so a killed worker leaves nothing behind). One file per
 * piece, in the worker's spill-file format (spill-file.ts: Arrow buffers and typed arrays written
 * from their own memory); the run's directory is made at its first spill and removed when its last
 * piece is read back, or when the run ends.
 */
import { mkdirSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { SpillTarget } from '@pdask/core';
import { readSpillFile, writeSpillFile } from '../worker/spill-file';

export class ShuffleSpill implements SpillTarget {
  private dir: string | undefined;
  private next = 0;
  private live = 0;
  /** Files written over this spill's life (reported in the worker's metrics). */
  written = 0;

  constructor(
    private readonly base: string,
    private readonly prefix: string,
  ) {}

  write(piece: unknown): string {
    if (this.dir === undefined) {
      mkdirSync(this.base, { recursive: true, mode: 0o700 });
      this.dir = mkdtempSync(join(this.base, this.prefix));
    }
    const file = join(this.dir, `${this.next++}.piece`);
    writeSpillFile(file, piece);
    this.live++;
    this.written++;
    return file;
  }

  read(handle: string): unknown {
    return readSpillFile(handle);
  }

  remove(handle: string): void {
    unlinkSync(handle);
    if (--this.live === 0) this.close();
  }

  /** Removes the directory and whatever is left in it. */
  close(): void {
    if (this.dir === undefined) return;
    rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    this.live = 0;
  }
}
