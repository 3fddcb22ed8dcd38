/** readJson: JSON Lines files as a bag of parsed values (Dask spells it `read_text(...).map(json.loads)`). */
import { checkOptions } from '@pdask/core';
import type { Bag } from '../bag';
import { bagOps } from '../ops';
import { READ_TEXT_OPTIONS, readText, type ReadTextOptions } from './read-text';

/**
 * One value per line of JSON Lines files (paths or glob patterns), as `readText(paths, opts)`
 * followed by `JSON.parse` of each line. Blank lines are skipped; a line that is not JSON fails
 * the computation naming its partition (one per file unless `blocksize` is given) and line.
 */
export function readJson<T = unknown>(paths: string | readonly string[], opts?: ReadTextOptions): Bag<T> {
  // Checked here too, so that an option error names readJson.
  return readText(paths, checkOptions('readJson', opts, READ_TEXT_OPTIONS)).flatMap(bagOps.parseJsonLine.fn) as Bag<T>;
}
