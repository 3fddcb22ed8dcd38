// Class labels as the GLM kernels take them: a sorted list of distinct f64 values.

/** Index of y in the sorted classes, or -1 (NaN included). */
// @ts-ignore: decorator
@inline export function codeOf(pc: usize, nc: i32, y: f64): i32 {
  let lo = 0, hi = nc - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = load<f64>(pc + (<usize>mid << 3));
    if (c == y) return mid;
    if (c < y) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
