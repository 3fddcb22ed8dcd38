/** Dense linear algebra on the calling thread, for p x p systems (p = features + 1). */

/**
 * Solves A x = b for symmetric positive definite A (row-major p x p; only the upper triangle is
 * read) by Cholesky. Returns null when A is not positive definite.
 */
export function choleskySolve(a: Float64Array, b: Float64Array, p: number): Float64Array | null {
  const l = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    let s = a[j * p + j];
    for (let k = 0; k < j; k++) s -= l[j * p + k] * l[j * p + k];
    if (!(s > 0)) return null;
    const ljj = Math.sqrt(s);
    l[j * p + j] = ljj;
    for (let i = j + 1; i < p; i++) {
      let t = a[j * p + i];
      for (let k = 0; k < j; k++) t -= l[i * p + k] * l[j * p + k];
      l[i * p + j] = t / ljj;
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let t = b[i];
    for (let k = 0; k < i; k++) t -= l[i * p + k] * z[k];
    z[i] = t / l[i * p + i];
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let t = z[i];
    for (let k = i + 1; k < p; k++) t -= l[k * p + i] * x[k];
    x[i] = t / l[i * p + i];
  }
  return x;
}
