/**
 * Shuffle pieces written to a worker's local directory when they exceed its memory budget, read
 * back (and deleted) when their output is unpacked. Pieces are structured-clone data, written with
 * v8.serialize (what crossing a thread would do anyway). The directory is made at the first spill
 * and removed when its last piece is read back, or when the run ends.
 */
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { SpillTarget } from '../../shuffle/pieces';

export class FileSpill implements SpillTarget {
  private dir: string | undefined;
  private next = 0;
  private live = 0;
  /** Files written over this spill's life (for stats and tests). */
  written = 0;

  constructor(
    private readonly base: string,
    private readonly prefix: string,
  ) {}

  write(piece: unknown): string {
    this.dir ??= mkdtempSync(join(this.base, this.prefix));
    const file = join(this.dir, `${this.next++}.piece`);
    writeFileSync(file, serialize(piece));
    this.live++;
    this.written++;
    return file;
  }

  read(handle: string): unknown {
    return deserialize(readFileSync(handle));
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
