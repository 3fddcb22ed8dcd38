/**
 * The hash table of a join, over typed arrays: keys are float64 (numbers as JavaScript numbers, so
 * int32 1 meets float64 1.0 as pandas matches them; text and multi-column keys are first numbered,
 * see `joinKeys`), slots are open addressing with linear probing, and rows with equal keys are
 * chained in `next` in ascending order, so that matches come out in the build side's row order as
 * pandas gives them. A JS Map<key, number[]> cost a heap number and an array per distinct key and
 * was two thirds of a merge's time.
 * Missing keys (NaN; nulls are read as NaN) match each other, as in pandas and Dask: they are kept
 * in a chain of their own rather than hashed.
 */
import { DataType, type Vector } from 'apache-arrow';
import { rowKeys, type RowKey } from './hash';
import { toFloat64 } from './values';

export interface JoinTable {
  /** The build side's keys (-0 as 0), which probes compare with. */
  readonly keys: Float64Array;
  readonly mask: number;
  /** Per slot, the first row with that slot's key, or -1. */
  readonly slots: Int32Array;
  /** Per row, the next row with the same key, or -1. */
  readonly next: Int32Array;
  /** The first row with a missing key, or -1 (the rest follow in `next`). */
  readonly nanHead: number;
  /**
   * Integer keys spanning at most twice as many values as rows are looked up directly: slot
   * `k - base` (no hashing, one memory access per probe). NaN when the table hashes.
   */
  readonly base: number;
  /** No two rows share a key (every `next` is -1): a probe row meets at most one row. */
  readonly unique: boolean;
  /**
   * Row i's key is `base + i` for every row (a dimension table keyed 0..n in order): the row of a
   * key is found by subtraction, without reading `slots`.
   */
  readonly dense: boolean;
}

export interface JoinRows {
  /** Probe row of each output row (-1: none, a build row that met no probe row). */
  readonly p: Int32Array;
  /** Build row of each output row (-1: none). */
  readonly b: Int32Array;
  /** Every probe row met exactly one build row and no build row was appended: `p` is 0..n-1. */
  readonly identity: boolean;
}

export const isNumberColumn = (v: Vector): boolean => {
  const t = v.type as DataType;
  return DataType.isFloat(t) || DataType.isInt(t) || DataType.isBool(t);
};

/** A numeric key column as float64 with -0 as 0 (they compare equal) and nulls as NaN. */
export function numberKeys(v: Vector): Float64Array {
  const out = toFloat64(v);
  for (let i = 0; i < out.length; i++) if (out[i] === 0) out[i] = 0;
  return out;
}

/** Whether a join's keys are used as numbers: one numeric column on each side. */
export const numericJoin = (probeCols: readonly Vector[], buildCols: readonly Vector[]): boolean =>
  probeCols.length === 1 && isNumberColumn(probeCols[0]) && isNumberColumn(buildCols[0]);

/** The numbering of a build side's text or multi-column keys: key → id (0, 1, … in first-seen order). */
export type KeyIds = Map<RowKey, number>;

/** A build side's keys numbered by a Map over them (build keys get ids 0, 1, …). */
export function numberedBuild(buildCols: readonly Vector[]): { build: Float64Array; ids: KeyIds } {
  const bk = rowKeys(buildCols);
  const ids: KeyIds = new Map();
  const build = new Float64Array(bk.length);
  for (let i = 0; i < bk.length; i++) {
    let id = ids.get(bk[i]);
    if (id === undefined) ids.set(bk[i], (id = ids.size));
    build[i] = id;
  }
  return { build, ids };
}

/** A probe side's keys through the build side's numbering (a key the build side lacks gets -1, which matches nothing). */
export function numberedProbe(probeCols: readonly Vector[], ids: KeyIds): Float64Array {
  const pk = rowKeys(probeCols);
  const probe = new Float64Array(pk.length);
  for (let i = 0; i < pk.length; i++) probe[i] = ids.get(pk[i]) ?? -1;
  return probe;
}

/**
 * Both sides' keys as float64 arrays whose equality is the join's. One numeric column is used as
 * it is; text or several columns are numbered by a Map over the build side.
 */
export function joinKeys(probeCols: readonly Vector[], buildCols: readonly Vector[]): { probe: Float64Array; build: Float64Array } {
  if (numericJoin(probeCols, buildCols)) return { probe: numberKeys(probeCols[0]), build: numberKeys(buildCols[0]) };
  const { build, ids } = numberedBuild(buildCols);
  return { probe: numberedProbe(probeCols, ids), build };
}

/** A slot for a float64 key from its two 32-bit words (small integers differ only in the high word). */
function slotOf(lo: number, hi: number, mask: number): number {
  let h = Math.imul(lo, 0x85ebca6b) ^ hi;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  return (h ^ (h >>> 15)) & mask;
}

/** The smallest key when every non-missing key is an integer and they span at most `limit` values. */
function directBase(keys: Float64Array, limit: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k !== k) continue;
    // ±Infinity too: k - base would be NaN (or Infinity) for them.
    if (k !== Math.floor(k) || !Number.isFinite(k)) return NaN;
    if (k < lo) lo = k;
    if (k > hi) hi = k;
  }
  return lo === Infinity || hi - lo >= limit ? NaN : lo;
}

/** Whether row i's key is `keys[0] + i` for every row, the first an integer (a dense table). */
function isDense(keys: Float64Array): boolean {
  const n = keys.length;
  const base = keys[0];
  if (n === 0 || !Number.isSafeInteger(base) || !Number.isSafeInteger(base + n)) return false;
  for (let i = 1; i < n; i++) if (keys[i] !== base + i) return false;
  return true;
}

const NO_SLOTS = new Int32Array(0);

export function buildTable(keys: Float64Array): JoinTable {
  const n = keys.length;
  // A dense table needs no slots: a key's row is the key minus the base (filling and hashing
  // slots was most of building a dimension table's join table, once per worker and run).
  if (isDense(keys)) return { keys, mask: 0, slots: NO_SLOTS, next: new Int32Array(n).fill(-1), nanHead: -1, base: keys[0], unique: true, dense: true };
  const base = directBase(keys, Math.max(1024, 2 * n));
  const direct = base === base;
  let cap = 16;
  while (cap < 2 * n) cap *= 2;
  const mask = cap - 1;
  const slots = new Int32Array(direct ? Math.max(1024, 2 * n) : cap).fill(-1);
  const next = new Int32Array(n);
  const words = new Uint32Array(keys.buffer, keys.byteOffset, 2 * n);
  let nanHead = -1;
  // From the last row back, each row goes in front of its chain: chains end up ascending.
  for (let i = n - 1; i >= 0; i--) {
    const k = keys[i];
    if (k !== k) {
      next[i] = nanHead;
      nanHead = i;
      continue;
    }
    if (direct) {
      const s = k - base;
      next[i] = slots[s];
      slots[s] = i;
      continue;
    }
    let s = slotOf(words[2 * i], words[2 * i + 1], mask);
    for (;;) {
      const r = slots[s];
      if (r < 0) {
        next[i] = -1;
        slots[s] = i;
        break;
      }
      if (keys[r] === k) {
        next[i] = r;
        slots[s] = i;
        break;
      }
      s = (s + 1) & mask;
    }
  }
  let unique = true;
  for (let i = 0; i < n && unique; i++) unique = next[i] < 0;
  return { keys, mask, slots, next, nanHead, base, unique, dense: false };
}

/** The int32 values of a key column of one chunk without nulls (no copy), else undefined. */
export function int32Keys(v: Vector): Int32Array | undefined {
  if (v.data.length !== 1 || v.nullCount > 0) return undefined;
  const vals = v.data[0].values;
  return vals instanceof Int32Array ? vals.subarray(0, v.length) : undefined;
}

/**
 * 0, 1, 2, … shared by the joins of this thread: the probe rows of a join in which every probe row
 * meets one build row, which the caller does not read (it uses the probe side's columns as they
 * are). A fresh array per partition was garbage to collect.
 */
let iotaRows = new Int32Array(0);
function rowsUpTo(n: number): Int32Array {
  if (iotaRows.length < n) {
    iotaRows = new Int32Array(Math.max(n, 2 * iotaRows.length));
    for (let i = 0; i < iotaRows.length; i++) iotaRows[i] = i;
  }
  return iotaRows.subarray(0, n);
}

/**
 * probeDirectUnique for int32 probe keys read in place: no float64 copy of the probe column (with
 * its -0 pass), no integer test. A dense table's row is the key minus its base. The build rows are
 * found first; probe rows are listed only when some have no match and are dropped.
 */
function probeInt32(t: JoinTable, probe: Int32Array, keepProbe: boolean): JoinRows {
  const { slots, base, dense } = t;
  const n = probe.length;
  const len = dense ? t.keys.length : slots.length;
  const b = new Int32Array(n);
  let missed = 0;
  for (let i = 0; i < n; i++) {
    const d = probe[i] - base;
    const r = d >= 0 && d < len ? (dense ? d : slots[d]) : -1;
    b[i] = r;
    if (r < 0) missed++;
  }
  // The shared rows only where the caller uses its columns as they are (identity), a copy elsewhere.
  if (missed === 0) return { p: rowsUpTo(n), b, identity: true };
  if (keepProbe) return { p: rowsUpTo(n).slice(), b, identity: false };
  const p = new Int32Array(n - missed);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const r = b[i];
    if (r < 0) continue;
    p[m] = i;
    b[m++] = r;
  }
  return { p, b: b.subarray(0, m), identity: false };
}

/**
 * Probe rows of a numeric key column against the table: int32 keys without nulls are read in place
 * when the table is direct and unique and no build row is kept, any other column as float64 keys.
 */
export function probeColumn(t: JoinTable, probe: Vector, keepProbe: boolean, keepBuild: boolean): JoinRows {
  const ints = t.base === t.base && t.unique && !keepBuild ? int32Keys(probe) : undefined;
  return ints ? probeInt32(t, ints, keepProbe) : probeTable(t, numberKeys(probe), keepProbe, keepBuild);
}

/**
 * probeTable for a direct table of unique keys (a dimension table keyed 0..n): one slot read per
 * probe row and no chain to follow, so at most one output row per probe row. Reading `next` for
 * every row and growing the output were a fifth of a broadcast join's probe.
 */
function probeDirectUnique(t: JoinTable, probe: Float64Array, keepProbe: boolean): JoinRows {
  const { slots, base, nanHead, dense } = t;
  const n = probe.length;
  const len = dense ? t.keys.length : slots.length;
  const p = new Int32Array(n);
  const b = new Int32Array(n);
  let m = 0;
  let identity = true;
  for (let i = 0; i < n; i++) {
    const k = probe[i];
    const d = k - base;
    // A key outside the range, or not an integer, is in no slot; NaN fails every comparison.
    const r = d >= 0 && d < len && d === Math.floor(d) ? (dense ? d : slots[d]) : k !== k ? nanHead : -1;
    if (r < 0) {
      identity = false;
      if (!keepProbe) continue;
    }
    p[m] = i;
    b[m++] = r;
  }
  return { p: p.subarray(0, m), b: b.subarray(0, m), identity };
}

/** A growable pair of Int32Array columns. */
class Pairs {
  p: Int32Array;
  b: Int32Array;
  n = 0;
  constructor(cap: number) {
    this.p = new Int32Array(Math.max(16, cap));
    this.b = new Int32Array(Math.max(16, cap));
  }
  grow(): void {
    const p = new Int32Array(this.p.length * 2);
    const b = new Int32Array(this.b.length * 2);
    p.set(this.p);
    b.set(this.b);
    this.p = p;
    this.b = b;
  }
}

/**
 * Row pairs of probe rows with the table's rows, in probe order (a probe row's matches in build
 * order). Probe rows without a match are kept (build -1) when `keepProbe`; build rows no probe row
 * met are appended in order (probe -1) when `keepBuild`.
 */
export function probeTable(t: JoinTable, probe: Float64Array, keepProbe: boolean, keepBuild: boolean): JoinRows {
  const { keys, mask, slots, next, base } = t;
  const direct = base === base;
  const n = probe.length;
  if (direct && t.unique && !keepBuild) return probeDirectUnique(t, probe, keepProbe);
  const len = t.dense ? keys.length : slots.length;
  const words = new Uint32Array(probe.buffer, probe.byteOffset, 2 * n);
  const out = new Pairs(n + (keepBuild ? keys.length : 0));
  const met = keepBuild ? new Uint8Array(keys.length) : undefined;
  let identity = true;
  for (let i = 0; i < n; i++) {
    const k = probe[i];
    let r: number;
    if (k !== k) r = t.nanHead;
    else if (direct) {
      const d = k - base;
      // A key outside the range, or not an integer, is in no slot.
      r = d >= 0 && d < len && d === Math.floor(d) ? (t.dense ? d : slots[d]) : -1;
    } else {
      let s = slotOf(words[2 * i], words[2 * i + 1], mask);
      for (;;) {
        r = slots[s];
        if (r < 0 || keys[r] === k) break;
        s = (s + 1) & mask;
      }
    }
    if (r < 0) {
      identity = false;
      if (!keepProbe) continue;
      if (out.n === out.p.length) out.grow();
      out.p[out.n] = i;
      out.b[out.n++] = -1;
      continue;
    }
    if (next[r] >= 0) identity = false;
    for (; r >= 0; r = next[r]) {
      if (out.n === out.p.length) out.grow();
      out.p[out.n] = i;
      out.b[out.n++] = r;
      if (met) met[r] = 1;
    }
  }
  if (met) {
    for (let r = 0; r < met.length; r++) {
      if (met[r]) continue;
      identity = false;
      if (out.n === out.p.length) out.grow();
      out.p[out.n] = -1;
      out.b[out.n++] = r;
    }
  }
  return { p: out.p.subarray(0, out.n), b: out.b.subarray(0, out.n), identity };
}

/**
 * The last table built on this thread from a build side that is not one broadcast partition (the
 * pieces of several partitions, concatenated afresh by each task), kept for a second: found by the
 * keys' contents, compared in full. A broadcast partition's tables are found by the partition
 * object instead (broadcast-side.ts).
 */
let cached: { table: JoinTable; timer: ReturnType<typeof setTimeout> } | undefined;
const CACHE_MIN_ROWS = 4096;
const CACHE_MS = 1000;

function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Int32Array(a.buffer, a.byteOffset, 2 * a.length);
  const y = new Int32Array(b.buffer, b.byteOffset, 2 * b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** The table of `keys`: the cached one when it was built from equal keys. */
export function tableOf(keys: Float64Array): JoinTable {
  if (keys.length < CACHE_MIN_ROWS) return buildTable(keys);
  if (cached && sameBits(cached.table.keys, keys)) return cached.table;
  if (cached) clearTimeout(cached.timer);
  const table = buildTable(keys);
  const timer = setTimeout(() => (cached = undefined), CACHE_MS);
  // A timer must not keep a process (or a worker) alive.
  (timer as { unref?: () => void }).unref?.();
  cached = { table, timer };
  return table;
}
