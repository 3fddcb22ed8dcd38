import { blockKey } from './chunks';

/** Arrays with more blocks than this make their keys afresh each time (the cache would hold them all). */
export const KEY_CACHE_MAX_BLOCKS = 4096;

/**
 * An array's block keys, each made once. Why: the graph keys every block twice, once in the
 * array's own layer and once in each reader's task arguments; two equal strings built apart are
 * each flattened and hashed where they are compared or looked up (in `argDeps`, in
 * `IndexedGraph.fromLayers`' key index), while one string object is flattened and hashed once.
 */
export class BlockKeys {
  private readonly keys: (string | undefined)[] | undefined;

  constructor(
    private readonly name: string,
    private readonly grid: readonly number[],
  ) {
    let n = 1;
    for (const g of grid) n *= g;
    this.keys = n <= KEY_CACHE_MAX_BLOCKS ? new Array<string | undefined>(n) : undefined;
  }

  key(idx: readonly number[]): string {
    const keys = this.keys;
    const grid = this.grid;
    if (keys === undefined || idx.length !== grid.length) return blockKey(this.name, idx);
    let at = 0;
    for (let d = 0; d < grid.length; d++) {
      const i = idx[d];
      // Anything but a block of this grid is keyed as before, uncached.
      if (!(i >= 0 && i < grid[d] && Number.isInteger(i))) return blockKey(this.name, idx);
      at = at * grid[d] + i;
    }
    return (keys[at] ??= blockKey(this.name, idx));
  }
}
