/**
 * Where the halo of every block comes from (mapOverlap), per dimension: for each position of a
 * block extended by `depth` on both sides, the source block and the position in it, or the
 * boundary constant. Pure planning; the runtime (runtime/overlap.ts) follows these maps.
 */
import { blockContaining, boundaries } from '../chunks';
import type { DimMap } from '../runtime/overlap';

export type Boundary = 'none' | 'reflect' | 'periodic' | 'nearest' | number;

/** One dimension of one block: the source blocks, how to fill the extended range, where the block sits. */
export interface HaloPlan {
  readonly blocks: readonly number[];
  readonly map: DimMap;
  /** [start, stop) of the block itself inside the extended range. */
  readonly core: readonly [number, number];
  /** Length of the extended range. */
  readonly ext: number;
}

/** The source of global position g (outside [0, n) mapped by the boundary rule), or -1: constant. */
function source(g: number, n: number, b: Boundary): number {
  if (g >= 0 && g < n) return g;
  if (b === 'periodic') return ((g % n) + n) % n;
  if (b === 'nearest') return g < 0 ? 0 : n - 1;
  if (b === 'reflect') {
    // Mirror with the edge repeated; a halo wider than the array keeps bouncing.
    const period = 2 * n;
    const m = ((g % period) + period) % period;
    return m < n ? m : period - 1 - m;
  }
  return -1;
}

/** Plans of every block of one array: `[dimension][block]`. */
export function haloPlans(chunks: readonly (readonly number[])[], shape: readonly number[], depth: readonly number[], boundary: readonly Boundary[]): HaloPlan[][] {
  return chunks.map((c, d) => {
    const starts = boundaries(c);
    const blockOf = (g: number): number => blockContaining(starts, g);
    const n = shape[d];
    const none = boundary[d] === 'none';
    return c.map((len, b) => {
      const s = starts[b];
      const lo = none ? Math.max(0, s - depth[d]) : s - depth[d];
      const hi = none ? Math.min(n, s + len + depth[d]) : s + len + depth[d];
      const blocks: number[] = [];
      const which: number[] = [];
      const local: number[] = [];
      for (let g = lo; g < hi; g++) {
        const src = source(g, n, boundary[d]);
        if (src < 0) {
          which.push(-1);
          local.push(0);
          continue;
        }
        const sb = blockOf(src);
        let w = blocks.indexOf(sb);
        if (w < 0) w = blocks.push(sb) - 1;
        which.push(w);
        local.push(src - starts[sb]);
      }
      return { blocks, map: { which, local, nblocks: blocks.length }, core: [s - lo, s - lo + len] as const, ext: hi - lo };
    });
  });
}
