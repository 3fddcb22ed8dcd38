/**
 * What the functions of a custom group-by aggregation (Aggregation) see, instead of pandas'
 * SeriesGroupBy: `GroupedValues`, the values of one column split into groups, with the usual
 * per-group reductions; and `PerGroup`, one number per group, with arithmetic for the finalize
 * step. Groups are numbered 0..ngroups-1 within a call; which key each number stands for is kept
 * by pdask, so the functions never see keys.
 */

/** One number per group (NaN: no value), in the group order of the call that made it. */
export class PerGroup {
  constructor(readonly values: Float64Array) {}

  get length(): number {
    return this.values.length;
  }

  /** `fn(value, group)` for every group. */
  map(fn: (value: number, group: number) => number): PerGroup {
    return new PerGroup(Float64Array.from(this.values, (v, g) => fn(v, g)));
  }

  private zip(other: PerGroup | number, op: (a: number, b: number) => number, what: string): PerGroup {
    if (typeof other === 'number') return new PerGroup(Float64Array.from(this.values, (v) => op(v, other)));
    if (!(other instanceof PerGroup)) throw new TypeError(`PerGroup.${what}: expected a PerGroup or a number`);
    if (other.length !== this.length) throw new RangeError(`PerGroup.${what}: ${this.length} groups and ${other.length} groups do not match`);
    const b = other.values;
    return new PerGroup(Float64Array.from(this.values, (v, g) => op(v, b[g])));
  }

  add(other: PerGroup | number): PerGroup {
    return this.zip(other, (a, b) => a + b, 'add');
  }
  sub(other: PerGroup | number): PerGroup {
    return this.zip(other, (a, b) => a - b, 'sub');
  }
  mul(other: PerGroup | number): PerGroup {
    return this.zip(other, (a, b) => a * b, 'mul');
  }
  div(other: PerGroup | number): PerGroup {
    return this.zip(other, (a, b) => a / b, 'div');
  }
  pow(other: PerGroup | number): PerGroup {
    return this.zip(other, (a, b) => a ** b, 'pow');
  }

  toArray(): number[] {
    return Array.from(this.values);
  }
}

/**
 * The values of one column, grouped: `codes[i]` is the group of value i (0..ngroups-1). Reductions
 * skip missing values (NaN), as pandas does; a group without any gives NaN (count and size: 0).
 */
export class GroupedValues {
  constructor(
    /** Every value, in row order (NaN where missing). */
    readonly values: Float64Array,
    /** The group of each value. */
    readonly codes: Int32Array,
    readonly ngroups: number,
  ) {}

  /** The values transformed one by one, grouped alike (e.g. `g.map((x) => x * x).sum()`). */
  map(fn: (value: number) => number): GroupedValues {
    return new GroupedValues(Float64Array.from(this.values, (v) => fn(v)), this.codes, this.ngroups);
  }

  private fold(init: number, step: (acc: number, v: number) => number, empty: number): PerGroup {
    const out = new Float64Array(this.ngroups).fill(init);
    const seen = new Uint8Array(this.ngroups);
    const { values, codes } = this;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v !== v) continue;
      const g = codes[i];
      out[g] = step(out[g], v);
      seen[g] = 1;
    }
    for (let g = 0; g < this.ngroups; g++) if (!seen[g]) out[g] = empty;
    return new PerGroup(out);
  }

  sum(): PerGroup {
    return this.fold(0, (a, v) => a + v, 0);
  }
  /** Number of non-missing values. */
  count(): PerGroup {
    return this.fold(0, (a) => a + 1, 0);
  }
  /** Number of values, missing ones included. */
  size(): PerGroup {
    const out = new Float64Array(this.ngroups);
    for (const g of this.codes) out[g]++;
    return new PerGroup(out);
  }
  mean(): PerGroup {
    return this.sum().div(this.count());
  }
  min(): PerGroup {
    return this.fold(Infinity, (a, v) => (v < a ? v : a), NaN);
  }
  max(): PerGroup {
    return this.fold(-Infinity, (a, v) => (v > a ? v : a), NaN);
  }
  /** The first non-missing value of each group, in row order. */
  first(): PerGroup {
    return this.fold(NaN, (a, v) => (a === a ? a : v), NaN);
  }
  last(): PerGroup {
    return this.fold(NaN, (_, v) => v, NaN);
  }

  /** `fn(values)` per group: the group's values in row order, missing ones (NaN) included. */
  apply(fn: (values: Float64Array, group: number) => number): PerGroup {
    const counts = new Int32Array(this.ngroups + 1);
    for (const g of this.codes) counts[g + 1]++;
    for (let g = 0; g < this.ngroups; g++) counts[g + 1] += counts[g];
    const sorted = new Float64Array(this.values.length);
    const at = counts.slice(0, this.ngroups);
    this.codes.forEach((g, i) => (sorted[at[g]++] = this.values[i]));
    return new PerGroup(Float64Array.from({ length: this.ngroups }, (_, g) => fn(sorted.subarray(counts[g], counts[g + 1]), g)));
  }
}

/** What chunk and agg may return: one per-group result, or several (a tuple). */
export type PerGroupResult = PerGroup | Float64Array | readonly (PerGroup | Float64Array)[];

/** The per-group results a chunk/agg/finalize call returned, checked against the number of groups. */
export function perGroupResults(r: unknown, ngroups: number, what: string): Float64Array[] {
  const one = (x: unknown, j: number | null): Float64Array => {
    const at = j === null ? '' : ` (item ${j})`;
    const v = x instanceof PerGroup ? x.values : x instanceof Float64Array ? x : undefined;
    if (!v) throw new TypeError(`${what} returned ${describe(x)}${at}; return a PerGroup (e.g. g.sum()), a Float64Array of one value per group, or an array of them`);
    if (v.length !== ngroups) throw new RangeError(`${what} returned ${v.length} values${at} for ${ngroups} groups; return one value per group`);
    return v;
  };
  if (Array.isArray(r)) {
    if (r.length === 0) throw new TypeError(`${what} returned an empty array; return at least one per-group result`);
    return r.map((x, j) => one(x, j));
  }
  return [one(r, null)];
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x !== 'object') return `a ${typeof x}`;
  return `an object (${(Object.getPrototypeOf(x) as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'Object'})`;
}
