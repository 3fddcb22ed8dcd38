/** The reference of the join table tests: row pairs of equal keys by a nested loop over both key lists. */

/**
 * Every probe row with each build row of an equal key, in probe order then build order (NaN meets
 * NaN, as the join matches missing keys); probe rows without one kept as -1 when `keepProbe`.
 */
export function nestedLoop(build: ArrayLike<number>, probe: ArrayLike<number>, keepProbe: boolean): { p: number[]; b: number[] } {
  const p: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < probe.length; i++) {
    const k = probe[i];
    let met = false;
    for (let r = 0; r < build.length; r++) {
      const x = build[r];
      if (x === k || (x !== x && k !== k)) {
        p.push(i);
        b.push(r);
        met = true;
      }
    }
    if (!met && keepProbe) {
      p.push(i);
      b.push(-1);
    }
  }
  return { p, b };
}
