/**
 * The passes of an exact radix selection over float64 values (kernels/assembly/radix.ts), for
 * quantiles: counts by the top 16 bits of each value's order-preserving key, counts by the low 16
 * bits inside chosen top-16 buckets, and the gathering of the values with chosen keys. Inputs stream
 * through the scratch area, or are read in place from kernel memory.
 */
import { forBlocks, maxBlock, resolve, type Input, type Runtime } from './runtime.js';

const BUCKETS = 65536;

function f64Input(who: string, input: Input<Float64Array>): Float64Array {
  const x = resolve(input);
  if (!(x instanceof Float64Array)) throw new TypeError(`${who}: x must be a Float64Array`);
  return x;
}

/** A 65536-entry slot table (i32, -1 = not wanted) in kernel memory; returns its address. */
function slotTable(rt: Runtime, at: number, slots: Int32Array): void {
  rt.mem.i32(at, BUCKETS).set(slots);
}

/**
 * Adds to `counts` the number of non-NaN values per bucket and returns the number of NaNs. Without
 * `slots`, buckets are the top 16 bits of the key (`counts`: 65536 entries); with `slots` (65536
 * entries: a slot number, or -1), a value whose top 16 bits have slot s counts in bucket
 * s * 65536 + its low 16 bits (`counts`: 65536 entries per slot).
 */
export function radixCount(rt: Runtime, input: Input<Float64Array>, counts: Uint32Array, slots?: Int32Array): number {
  if (slots && slots.length !== BUCKETS) throw new RangeError(`radixCount: slots must have ${BUCKETS} entries, got ${slots.length}`);
  let nslots = 1;
  if (slots) for (let i = 0; i < BUCKETS; i++) nslots = Math.max(nslots, slots[i] + 1);
  if (counts.length !== nslots * BUCKETS) throw new RangeError(`radixCount: counts must have ${nslots * BUCKETS} entries, got ${counts.length}`);
  const cBytes = counts.length * 4;
  const base = rt.mem.alloc(cBytes + (slots ? BUCKETS * 4 : 0));
  try {
    rt.mem.u8(base, cBytes).fill(0);
    if (slots) slotTable(rt, base + cBytes, slots);
    const x = f64Input('radixCount', input);
    let nans = 0;
    forBlocks(rt, x, (p, n) => {
      nans += rt.x.radix_count_f64(p, n, base, slots ? base + cBytes : 0);
    });
    const c = rt.mem.i32(base, counts.length);
    for (let i = 0; i < counts.length; i++) counts[i] += c[i];
    return nans;
  } finally {
    rt.mem.release(base);
  }
}

/**
 * The non-NaN values of `x` whose 32-bit key is one of `keys`, in input order. `slots` (65536
 * entries) must be >= 0 exactly for the keys' top 16 bits.
 */
export function radixSelect(rt: Runtime, input: Input<Float64Array>, slots: Int32Array, keys: Uint32Array): Float64Array {
  if (slots.length !== BUCKETS) throw new RangeError(`radixSelect: slots must have ${BUCKETS} entries, got ${slots.length}`);
  const cap = maxBlock(rt, 8);
  const keyBytes = Math.ceil(keys.length / 2) * 8;
  const base = rt.mem.alloc(BUCKETS * 4 + keyBytes + cap * 8);
  const pk = base + BUCKETS * 4;
  const po = pk + keyBytes;
  try {
    slotTable(rt, base, slots);
    new Uint32Array(rt.mem.buffer, pk, keys.length).set(keys);
    const x = f64Input('radixSelect', input);
    const parts: Float64Array[] = [];
    let total = 0;
    forBlocks(rt, x, (p, n) => {
      const m = rt.x.radix_select_f64(p, n, base, pk, keys.length, po);
      if (m > 0) {
        parts.push(rt.mem.f64(po, m).slice());
        total += m;
      }
    });
    const out = new Float64Array(total);
    let at = 0;
    for (const q of parts) {
      out.set(q, at);
      at += q.length;
    }
    return out;
  } finally {
    rt.mem.release(base);
  }
}
