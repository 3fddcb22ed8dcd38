/**
 * Shuffle pieces written to a worker's local directory when they exceed its memory budget, read
 * back (and deleted) when their output is unpacked. The directory is made at the first spill and
 * removed when its last piece is read back, or when the run ends. Between threads pieces are
 * structured-clone data, written with v8.serialize (what crossing a thread would do anyway); a
 * worker process of @pdask/distributed passes its own file format.
 */
import { nodeBuiltin } from '../../platform/node-builtins';
import type { SpillTarget } from '../../shuffle/pieces';

// Reached when a piece is spilled (Node only: a browser worker has no files, see NodeOnlyError).
const fs = (): typeof import('node:fs') => nodeBuiltin('node:fs', 'spilling shuffle pieces to disk');
const join = (...parts: string[]): string => nodeBuiltin<typeof import('node:path')>('node:path', 'spilling shuffle pieces to disk').join(...parts);
const v8 = (): typeof import('node:v8') => nodeBuiltin('node:v8', 'spilling shuffle pieces to disk');

/** How one piece is written to, and read back from, its own file. */
export interface PieceFileCodec {
  write(file: string, piece: unknown): void;
  read(file: string): unknown;
}

const V8_FILES: PieceFileCodec = {
  write: (file, piece) => fs().writeFileSync(file, v8().serialize(piece)),
  read: (file) => v8().deserialize(fs().readFileSync(file)),
};

export class FileSpill implements SpillTarget {
  private dir: string | undefined;
  private next = 0;
  private live = 0;
  /** Files, and their bytes, written over this spill's life (for stats and tests). */
  written = 0;
  bytesWritten = 0;

  constructor(
    private readonly base: string,
    private readonly prefix: string,
    private readonly codec: PieceFileCodec = V8_FILES,
  ) {}

  write(piece: unknown): string {
    if (this.dir === undefined) {
      fs().mkdirSync(this.base, { recursive: true, mode: 0o700 });
      this.dir = fs().mkdtempSync(join(this.base, this.prefix));
    }
    const file = join(this.dir, `${this.next++}.piece`);
    this.codec.write(file, piece);
    this.bytesWritten += fs().statSync(file).size;
    this.live++;
    this.written++;
    return file;
  }

  read(handle: string): unknown {
    return this.codec.read(handle);
  }

  remove(handle: string): void {
    fs().unlinkSync(handle);
    if (--this.live === 0) this.close();
  }

  /** Removes the directory and whatever is left in it. */
  close(): void {
    if (this.dir === undefined) return;
    fs().rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    this.live = 0;
  }
}
