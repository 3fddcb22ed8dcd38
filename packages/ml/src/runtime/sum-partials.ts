/**
 * The combine step of the block reductions here: partial results (a record of numbers and
 * Float64Arrays of fixed length) add up field by field, so a tree of combines gives the sum
 * over every block whatever its shape.
 */
export function sumPartials<T extends { readonly [K in keyof T]: number | Float64Array }>(parts: readonly T[]): T {
  const out: Record<string, number | Float64Array> = {};
  for (const [name, v] of Object.entries(parts[0]) as [string, number | Float64Array][]) out[name] = typeof v === 'number' ? v : v.slice();
  for (let p = 1; p < parts.length; p++) {
    for (const [name, v] of Object.entries(parts[p]) as [string, number | Float64Array][]) {
      const acc = out[name];
      if (typeof acc === 'number') out[name] = acc + (v as number);
      else {
        const w = v as Float64Array;
        for (let i = 0; i < acc.length; i++) acc[i] += w[i];
      }
    }
  }
  return out as unknown as T;
}
