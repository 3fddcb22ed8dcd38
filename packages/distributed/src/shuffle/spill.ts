/**
 * Shuffle pieces past a worker's budget, in files under its local directory (the directory its
 * nanny removes when the process dies, so a killed worker leaves nothing behind): core's FileSpill
 * (one file per piece, the run's directory made at its first spill and removed when its last piece
 * is read back or the run ends) in the worker's spill-file format (spill-file.ts: Arrow buffers and
 * typed arrays written from their own memory).
 */
import { FileSpill } from '@pdask/core';
import { readSpillFile, writeSpillFile } from '../worker/spill-file';

export class ShuffleSpill extends FileSpill {
  constructor(base: string, prefix: string) {
    super(base, prefix, { write: writeSpillFile, read: readSpillFile });
  }
}
