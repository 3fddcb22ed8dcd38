// Elementwise float64 arithmetic into an output buffer, so that fused chains such as sum(x + y)
// run as WASM over cache-sized tiles: the inputs are read in place (kernel memory), the tile stays
// in L2 and the reduction kernels read it from there. Ops: 0 add, 1 sub, 2 mul, 3 div (IEEE, the
// same results as the JS operators).

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

// Fused sum(a op b): the leaves, lanes and compensation of sum_f64 (sum.ts) over values computed in
// registers, so nothing is written: the result has the same bits as binary_f64 followed by sum_f64.
// State as sum_f64: [0] sum, [1] compensation, [2] count.
// @ts-ignore: decorator
@inline function sumBinaryImpl(op: i32, pa: usize, pb: usize, n: i32, st: usize): void {
  let s = load<f64>(st), c = load<f64>(st, 8);
  let i = 0;
  for (; i + 128 <= n; i += 128) {
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
    const base = <usize>i << 3;
    for (let o: usize = 0; o < 1024; o += 64) {
      const q = base + o;
      a0 = f64x2.add(a0, bin2(op, v128.load(pa + q), v128.load(pb + q)));
      a1 = f64x2.add(a1, bin2(op, v128.load(pa + q + 16), v128.load(pb + q + 16)));
      a2 = f64x2.add(a2, bin2(op, v128.load(pa + q + 32), v128.load(pb + q + 32)));
      a3 = f64x2.add(a3, bin2(op, v128.load(pa + q + 48), v128.load(pb + q + 48)));
    }
    const v = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
    const b = f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
    const t = s + b;
    c += Math.abs(s) >= Math.abs(b) ? (s - t) + b : (b - t) + s;
    s = t;
  }
  if (i < n) {
    // tailSum's shape: 8 scalar lanes, then the rest one by one.
    const r = n - i;
    let l0 = 0.0, l1 = 0.0, l2 = 0.0, l3 = 0.0, l4 = 0.0, l5 = 0.0, l6 = 0.0, l7 = 0.0;
    let j = 0;
    for (; j + 8 <= r; j += 8) {
      const q = <usize>(i + j) << 3;
      l0 += bin1(op, load<f64>(pa + q), load<f64>(pb + q));
      l1 += bin1(op, load<f64>(pa + q + 8), load<f64>(pb + q + 8));
      l2 += bin1(op, load<f64>(pa + q + 16), load<f64>(pb + q + 16));
      l3 += bin1(op, load<f64>(pa + q + 24), load<f64>(pb + q + 24));
      l4 += bin1(op, load<f64>(pa + q + 32), load<f64>(pb + q + 32));
      l5 += bin1(op, load<f64>(pa + q + 40), load<f64>(pb + q + 40));
      l6 += bin1(op, load<f64>(pa + q + 48), load<f64>(pb + q + 48));
      l7 += bin1(op, load<f64>(pa + q + 56), load<f64>(pb + q + 56));
    }
    let b = ((l0 + l2) + (l4 + l6)) + ((l1 + l3) + (l5 + l7));
    for (; j < r; j++) {
      const q = <usize>(i + j) << 3;
      b += bin1(op, load<f64>(pa + q), load<f64>(pb + q));
    }
    const t = s + b;
    c += Math.abs(s) >= Math.abs(b) ? (s - t) + b : (b - t) + s;
    s = t;
  }
  store<f64>(st, s);
  store<f64>(st, c, 8);
  store<f64>(st, load<f64>(st, 16) + <f64>n, 16);
}

/** Adds sum(a[i] op b[i]) to the sum state at st (float64, in place, nothing written). */
export function sum_binary_f64(op: i32, pa: usize, pb: usize, n: i32, st: usize): void {
  if (op == 0) sumBinaryImpl(0, pa, pb, n, st);
  else if (op == 1) sumBinaryImpl(1, pa, pb, n, st);
  else if (op == 2) sumBinaryImpl(2, pa, pb, n, st);
  else sumBinaryImpl(3, pa, pb, n, st);
}

// Fused sum((a op s) * (a op s)): one read of a, the deviation and its square in registers, nothing
// written. Same leaves, lanes and compensation as sumBinaryImpl, so the result has the same bits as
// binary_scalar_f64 into a tile followed by sum_binary_f64(mul, tile, tile) over runs that start at
// multiples of 128 elements. State as sum_f64: [0] sum, [1] compensation, [2] count.
// @ts-ignore: decorator
@inline function sumSquaresImpl(op: i32, pa: usize, s: f64, n: i32, st: usize): void {
  let acc = load<f64>(st), c = load<f64>(st, 8);
  const sv = f64x2.splat(s);
  let i = 0;
  for (; i + 128 <= n; i += 128) {
    let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
    const base = <usize>i << 3;
    for (let o: usize = 0; o < 1024; o += 64) {
      const q = base + o;
      const x0 = bin2(op, v128.load(pa + q), sv);
      const x1 = bin2(op, v128.load(pa + q + 16), sv);
      const x2 = bin2(op, v128.load(pa + q + 32), sv);
      const x3 = bin2(op, v128.load(pa + q + 48), sv);
      a0 = f64x2.add(a0, f64x2.mul(x0, x0));
      a1 = f64x2.add(a1, f64x2.mul(x1, x1));
      a2 = f64x2.add(a2, f64x2.mul(x2, x2));
      a3 = f64x2.add(a3, f64x2.mul(x3, x3));
    }
    const v = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
    const b = f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
    const t = acc + b;
    c += Math.abs(acc) >= Math.abs(b) ? (acc - t) + b : (b - t) + acc;
    acc = t;
  }
  if (i < n) {
    const r = n - i;
    let l0 = 0.0, l1 = 0.0, l2 = 0.0, l3 = 0.0, l4 = 0.0, l5 = 0.0, l6 = 0.0, l7 = 0.0;
    let j = 0;
    for (; j + 8 <= r; j += 8) {
      const q = <usize>(i + j) << 3;
      const x0 = bin1(op, load<f64>(pa + q), s), x1 = bin1(op, load<f64>(pa + q + 8), s);
      const x2 = bin1(op, load<f64>(pa + q + 16), s), x3 = bin1(op, load<f64>(pa + q + 24), s);
      const x4 = bin1(op, load<f64>(pa + q + 32), s), x5 = bin1(op, load<f64>(pa + q + 40), s);
      const x6 = bin1(op, load<f64>(pa + q + 48), s), x7 = bin1(op, load<f64>(pa + q + 56), s);
      l0 += x0 * x0;
      l1 += x1 * x1;
      l2 += x2 * x2;
      l3 += x3 * x3;
      l4 += x4 * x4;
      l5 += x5 * x5;
      l6 += x6 * x6;
      l7 += x7 * x7;
    }
    let b = ((l0 + l2) + (l4 + l6)) + ((l1 + l3) + (l5 + l7));
    for (; j < r; j++) {
      const x = bin1(op, load<f64>(pa + (<usize>(i + j) << 3)), s);
      b += x * x;
    }
    const t = acc + b;
    c += Math.abs(acc) >= Math.abs(b) ? (acc - t) + b : (b - t) + acc;
    acc = t;
  }
  store<f64>(st, acc);
  store<f64>(st, c, 8);
  store<f64>(st, load<f64>(st, 16) + <f64>n, 16);
}

/** Adds sum((a[i] op s)^2) to the sum state at st (float64, in place, nothing written). */
export function sum_squares_scalar_f64(op: i32, pa: usize, s: f64, n: i32, st: usize): void {
  if (op == 0) sumSquaresImpl(0, pa, s, n, st);
  else if (op == 1) sumSquaresImpl(1, pa, s, n, st);
  else if (op == 2) sumSquaresImpl(2, pa, s, n, st);
  else sumSquaresImpl(3, pa, s, n, st);
}
