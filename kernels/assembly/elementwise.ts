// Elementwise float64 arithmetic into an output buffer, so that fused chains such as sum(x + y)
// run as WASM over cache-sized tiles: the inputs are read in place (kernel memory), the tile stays
// in L2 and the reduction kernels read it from there. Ops: 0 add, 1 sub, 2 mul, 3 div (IEEE, the
// same results as the JS operators).
import { roundingError } from './lanes';

// @ts-ignore: decorator
@inline function bin2(op: i32, a: v128, b: v128): v128 {
  if (op == 0) return f64x2.add(a, b);
  if (op == 1) return f64x2.sub(a, b);
  if (op == 2) return f64x2.mul(a, b);
  return f64x2.div(a, b);
}

// @ts-ignore: decorator
@inline function bin1(op: i32, a: f64, b: f64): f64 {
  if (op == 0) return a + b;
  if (op == 1) return a - b;
  if (op == 2) return a * b;
  return a / b;
}

// @ts-ignore: decorator
@inline function binaryImpl(op: i32, pa: usize, pb: usize, po: usize, n: i32): void {
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 3;
    v128.store(po + o, bin2(op, v128.load(pa + o), v128.load(pb + o)));
    v128.store(po + o + 16, bin2(op, v128.load(pa + o + 16), v128.load(pb + o + 16)));
    v128.store(po + o + 32, bin2(op, v128.load(pa + o + 32), v128.load(pb + o + 32)));
    v128.store(po + o + 48, bin2(op, v128.load(pa + o + 48), v128.load(pb + o + 48)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(po + o, bin1(op, load<f64>(pa + o), load<f64>(pb + o)));
  }
}

/** out[i] = a[i] op b[i] (float64). */
export function binary_f64(op: i32, pa: usize, pb: usize, po: usize, n: i32): void {
  // One specialised loop per op: the op test is hoisted out of the hot loop.
  if (op == 0) binaryImpl(0, pa, pb, po, n);
  else if (op == 1) binaryImpl(1, pa, pb, po, n);
  else if (op == 2) binaryImpl(2, pa, pb, po, n);
  else binaryImpl(3, pa, pb, po, n);
}

// @ts-ignore: decorator
@inline function scalarImpl(op: i32, pa: usize, s: f64, po: usize, n: i32, rev: bool): void {
  const sv = f64x2.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 3;
    const a0 = v128.load(pa + o), a1 = v128.load(pa + o + 16);
    v128.store(po + o, rev ? bin2(op, sv, a0) : bin2(op, a0, sv));
    v128.store(po + o + 16, rev ? bin2(op, sv, a1) : bin2(op, a1, sv));
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    const a = load<f64>(pa + o);
    store<f64>(po + o, rev ? bin1(op, s, a) : bin1(op, a, s));
  }
}

/** out[i] = a[i] op s, or s op a[i] when rev (float64). */
export function binary_scalar_f64(op: i32, pa: usize, s: f64, po: usize, n: i32, rev: i32): void {
  if (rev) {
    if (op == 0) scalarImpl(0, pa, s, po, n, true);
    else if (op == 1) scalarImpl(1, pa, s, po, n, true);
    else if (op == 2) scalarImpl(2, pa, s, po, n, true);
    else scalarImpl(3, pa, s, po, n, true);
  } else {
    if (op == 0) scalarImpl(0, pa, s, po, n, false);
    else if (op == 1) scalarImpl(1, pa, s, po, n, false);
    else if (op == 2) scalarImpl(2, pa, s, po, n, false);
    else scalarImpl(3, pa, s, po, n, false);
  }
}

// Fused sums: sum(a op b), and sum((a op s) * (a op s)) when `squares` (b unused). The leaves, lanes
// and compensation of sum_f64 (sum.ts) over terms computed in registers, so nothing is written: the
// result has the same bits as binary_f64 (or binary_scalar_f64 into a tile, then mul of the tile by
// itself) followed by sum_f64, over runs that start at multiples of 128 elements. `squares` and `op`
// are constants at every call, so each instance compiles to its own straight loop.
// State as sum_f64: [0] sum, [1] compensation, [2] count.
// @ts-ignore: decorator
@inline function term2(squares: bool, op: i32, pa: usize, pb: usize, sv: v128, q: usize, off: usize): v128 {
  if (!squares) return bin2(op, v128.load(pa + q + off), v128.load(pb + q + off));
  const x = bin2(op, v128.load(pa + q + off), sv);
  return f64x2.mul(x, x);
}
// @ts-ignore: decorator
@inline function term1(squares: bool, op: i32, pa: usize, pb: usize, s: f64, q: usize, off: usize): f64 {
  if (!squares) return bin1(op, load<f64>(pa + q + off), load<f64>(pb + q + off));
  const x = bin1(op, load<f64>(pa + q + off), s);
  return x * x;
}
// @ts-ignore: decorator
@inline function sumTermsImpl(squares: bool, op: i32, pa: usize, pb: usize, sc: f64, n: i32, st: usize): void {
  let s = load<f64>(st), c = load<f64>(st, 8);
  const sv = f64x2.splat(sc);
  let i = 0;
  for (; i + 128 <= n; i += 128) {
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
    const base = <usize>i << 3;
    for (let o: usize = 0; o < 1024; o += 64) {
      const q = base + o;
      a0 = f64x2.add(a0, term2(squares, op, pa, pb, sv, q, 0));
      a1 = f64x2.add(a1, term2(squares, op, pa, pb, sv, q, 16));
      a2 = f64x2.add(a2, term2(squares, op, pa, pb, sv, q, 32));
      a3 = f64x2.add(a3, term2(squares, op, pa, pb, sv, q, 48));
    }
    const v = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
    const b = f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
    const t = s + b;
    c += roundingError(s, b, t);
    s = t;
  }
  if (i < n) {
    // tailSum's shape: 8 scalar lanes, then the rest one by one.
    const r = n - i;
    let l0 = 0.0, l1 = 0.0, l2 = 0.0, l3 = 0.0, l4 = 0.0, l5 = 0.0, l6 = 0.0, l7 = 0.0;
    let j = 0;
    for (; j + 8 <= r; j += 8) {
      const q = <usize>(i + j) << 3;
      l0 += term1(squares, op, pa, pb, sc, q, 0);
      l1 += term1(squares, op, pa, pb, sc, q, 8);
      l2 += term1(squares, op, pa, pb, sc, q, 16);
      l3 += term1(squares, op, pa, pb, sc, q, 24);
      l4 += term1(squares, op, pa, pb, sc, q, 32);
      l5 += term1(squares, op, pa, pb, sc, q, 40);
      l6 += term1(squares, op, pa, pb, sc, q, 48);
      l7 += term1(squares, op, pa, pb, sc, q, 56);
    }
    let b = ((l0 + l2) + (l4 + l6)) + ((l1 + l3) + (l5 + l7));
    for (; j < r; j++) b += term1(squares, op, pa, pb, sc, <usize>(i + j) << 3, 0);
    const t = s + b;
    c += roundingError(s, b, t);
    s = t;
  }
  store<f64>(st, s);
  store<f64>(st, c, 8);
  store<f64>(st, load<f64>(st, 16) + <f64>n, 16);
}

/** Adds sum(a[i] op b[i]) to the sum state at st (float64, in place, nothing written). */
export function sum_binary_f64(op: i32, pa: usize, pb: usize, n: i32, st: usize): void {
  if (op == 0) sumTermsImpl(false, 0, pa, pb, 0, n, st);
  else if (op == 1) sumTermsImpl(false, 1, pa, pb, 0, n, st);
  else if (op == 2) sumTermsImpl(false, 2, pa, pb, 0, n, st);
  else sumTermsImpl(false, 3, pa, pb, 0, n, st);
}

/** Adds sum((a[i] op s)^2) to the sum state at st (float64, in place, nothing written). */
export function sum_squares_scalar_f64(op: i32, pa: usize, s: f64, n: i32, st: usize): void {
  if (op == 0) sumTermsImpl(true, 0, pa, 0, s, n, st);
  else if (op == 1) sumTermsImpl(true, 1, pa, 0, s, n, st);
  else if (op == 2) sumTermsImpl(true, 2, pa, 0, s, n, st);
  else sumTermsImpl(true, 3, pa, 0, s, n, st);
}
