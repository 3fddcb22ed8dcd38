/**
 * The rule collections use to run a small compute() on the calling thread.
 *
 * A round trip to a worker thread costs more than reducing a few hundred KiB, so a compute()
 * without a `scheduler` option may run on the sync scheduler when the configured scheduler is
 * 'threads' and the graph's data adds up to less than a collection's threshold (a config key,
 * 0 turns it off). What a layer weighs is the collection's to say (array layers know their nbytes,
 * dataframe sources their partitions' bytes); a layer whose cost it cannot tell (user code, files,
 * persisted data) keeps the configured scheduler.
 */
import * as config from '../config/config';
import { parseBytes } from '../config/bytes';
import { forEachLayer, type LayerNode } from '../graph/high-level';

/** A layer's bytes toward the threshold, or undefined when its cost is unknown. */
export type InlineWeight = (node: LayerNode) => number | undefined;

/** Whether a graph over `roots` is small enough to compute on the calling thread. */
export function fitsInline(roots: readonly LayerNode[], thresholdKey: string, weigh: InlineWeight): boolean {
  if (config.get<string>('scheduler') !== 'threads') return false;
  const limit = parseBytes(config.get<string | number>(thresholdKey), `config '${thresholdKey}'`);
  if (!(limit > 0)) return false;
  let bytes = 0;
  let inline = true;
  forEachLayer(roots, (n) => {
    if (!inline) return;
    const w = weigh(n);
    if (w === undefined) inline = false;
    else bytes += w;
    if (bytes >= limit) inline = false;
  });
  return inline;
}
