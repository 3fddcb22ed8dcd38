/**
 * Plain-JS versions of the reductions, with the same semantics and accuracy contract as the WASM
 * kernels: the baseline of bench/compare.ts, and the implementation used where it measured faster
 * (only the float64 sum of large JS-heap arrays: see reductions.ts and the README's table).
 */
import type { ArgExtremum, Moments } from './partials.js';
import type { NumericArray } from './types.js';

const LEAF = 128;

/** Compensated leaf sum (see kernels/assembly/sum.ts); returns [sum, count of summed elements]. */
function leafSum(a: NumericArray, skipna: boolean): [number, number] {
  const n = a.length;
  let s = 0;
  let c = 0;
  let cnt = 0;
  for (let i = 0; i < n; i += LEAF) {
    const e = Math.min(i + LEAF, n);
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
    let j = i;
    if (!skipna) {
      for (; j + 8 <= e; j += 8) {
        a0 += a[j]; a1 += a[j + 1]; a2 += a[j + 2]; a3 += a[j + 3];
        a4 += a[j + 4]; a5 += a[j + 5]; a6 += a[j + 6]; a7 += a[j + 7];
      }
      cnt += e - i;
    } else {
      for (; j + 8 <= e; j += 8) {
        const x0 = a[j], x1 = a[j + 1], x2 = a[j + 2], x3 = a[j + 3], x4 = a[j + 4], x5 = a[j + 5], x6 = a[j + 6], x7 = a[j + 7];
        if (x0 === x0) { a0 += x0; cnt++; }
        if (x1 === x1) { a1 += x1; cnt++; }
        if (x2 === x2) { a2 += x2; cnt++; }
        if (x3 === x3) { a3 += x3; cnt++; }
        if (x4 === x4) { a4 += x4; cnt++; }
        if (x5 === x5) { a5 += x5; cnt++; }
        if (x6 === x6) { a6 += x6; cnt++; }
        if (x7 === x7) { a7 += x7; cnt++; }
      }
    }
    // The lane tree and the sequential tail are those of the kernel, so results are bit-identical.
    let b = a0 + a2 + (a4 + a6) + (a1 + a3 + (a5 + a7));
    for (; j < e; j++) {
      const x = a[j];
      if (!skipna) b += x;
      else if (x === x) {
        b += x;
        cnt++;
      }
    }
    const t = s + b;
    c += Math.abs(s) >= Math.abs(b) ? s - t + b : b - t + s;
    s = t;
  }
  return [Number.isFinite(s) ? s + c : s, cnt];
}

export function sum(a: NumericArray): number {
  return leafSum(a, false)[0];
}

export function nansum(a: NumericArray): number {
  return leafSum(a, true)[0];
}

export function count(a: NumericArray): number {
  if (a instanceof Int32Array) return a.length;
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === a[i]) n++;
  return n;
}

/** Per-leaf two-pass moments merged with Chan's update, as the kernel. */
export function moments(a: NumericArray, skipna: boolean): Moments {
  const n = a.length;
  let cnt = 0;
  let s = 0;
  let c = 0;
  let m2 = 0;
  for (let i = 0; i < n; i += LEAF) {
    const e = Math.min(i + LEAF, n);
    let b = 0;
    let nb = 0;
    for (let j = i; j < e; j++) {
      const x = a[j];
      if (!skipna || x === x) {
        b += x;
        nb++;
      }
    }
    if (nb === 0) continue;
    const mb = b / nb;
    let m2b = 0;
    for (let j = i; j < e; j++) {
      const x = a[j];
      if (!skipna || x === x) m2b += (x - mb) * (x - mb);
    }
    if (cnt === 0) m2 = m2b;
    else {
      const d = mb - (s + c) / cnt;
      m2 += m2b + d * d * ((cnt * nb) / (cnt + nb));
    }
    cnt += nb;
    const t = s + b;
    c += Math.abs(s) >= Math.abs(b) ? s - t + b : b - t + s;
    s = t;
  }
  return { count: cnt, sum: Number.isFinite(s) ? s + c : s, m2 };
}

/** IEEE minimum/maximum: Math.min/Math.max are exactly that (NaN propagates, -0 < +0). */
export function extreme(a: NumericArray, isMax: boolean, skipna: boolean): number {
  let v = isMax ? -Infinity : Infinity;
  let any = false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (x !== x) {
      if (skipna) continue;
      return NaN;
    }
    any = true;
    v = isMax ? Math.max(v, x) : Math.min(v, x);
  }
  return any ? v : NaN;
}

export function argExtreme(a: NumericArray, isMax: boolean, skipna: boolean, offset: number): ArgExtremum {
  let best = NaN;
  let idx = -1;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (x !== x) {
      if (skipna) continue;
      return { value: x, index: i + offset };
    }
    if (idx < 0 || (isMax ? x > best : x < best)) {
      best = x;
      idx = i;
    }
  }
  return idx < 0 ? { value: NaN, index: -1 } : { value: best, index: idx + offset };
}

export function prod(a: NumericArray, skipna: boolean): number {
  let p0 = 1, p1 = 1, p2 = 1, p3 = 1;
  const n = a.length;
  let i = 0;
  if (!skipna) {
    for (; i + 4 <= n; i += 4) {
      p0 *= a[i]; p1 *= a[i + 1]; p2 *= a[i + 2]; p3 *= a[i + 3];
    }
  }
  for (; i < n; i++) {
    const x = a[i];
    if (!skipna || x === x) p0 *= x;
  }
  return p0 * p1 * (p2 * p3);
}

export function anyAll(a: NumericArray | Uint8Array, wantAll: boolean): boolean {
  for (let i = 0; i < a.length; i++) {
    // NaN !== 0, so NaN counts as true, as in NumPy.
    if ((a[i] !== 0) !== wantAll) return !wantAll;
  }
  return wantAll;
}

export function sumBytes(a: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}
