/**
 * The eager result of a complex array's `compute()`: real and imaginary parts as two float64
 * NDArrays of one shape (NumPy's complex128 `z.real`, `z.imag`).
 */
/** Node's util.inspect.custom (a registered symbol: no import of node:util, which a browser lacks). */
const inspectCustom = Symbol.for('nodejs.util.inspect.custom');
import { NDArray } from '../ndarray';

export class ComplexNDArray {
  constructor(
    readonly re: NDArray,
    readonly im: NDArray,
  ) {
    if (re.shape.length !== im.shape.length || re.shape.some((s, d) => s !== im.shape[d])) {
      throw new RangeError(`ComplexNDArray: real part has shape [${re.shape.join(', ')}], imaginary part [${im.shape.join(', ')}]`);
    }
  }

  /** From interleaved (re, im) float64 pairs: the last axis of `pairs` has length 2. */
  static fromPairs(pairs: NDArray): ComplexNDArray {
    const n = pairs.size / 2;
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      re[k] = pairs.data[2 * k];
      im[k] = pairs.data[2 * k + 1];
    }
    const shape = pairs.shape.slice(0, -1);
    return new ComplexNDArray(new NDArray(re, shape, 'float64'), new NDArray(im, shape, 'float64'));
  }

  readonly dtype = 'complex128' as const;
  get shape(): readonly number[] {
    return this.re.shape;
  }
  get ndim(): number {
    return this.re.ndim;
  }
  get size(): number {
    return this.re.size;
  }

  /** One element as `{ re, im }`; negative indices count from the end. */
  get(...index: number[]): { re: number; im: number } {
    return { re: this.re.get(...index), im: this.im.get(...index) };
  }

  /** |z| per element. */
  abs(): NDArray {
    const out = new Float64Array(this.size);
    for (let k = 0; k < out.length; k++) out[k] = Math.hypot(this.re.data[k], this.im.data[k]);
    return new NDArray(out, this.shape, 'float64');
  }

  toString(): string {
    const fmt = (k: number) => {
      const r = this.re.data[k];
      const i = this.im.data[k];
      return `${r}${i < 0 || Object.is(i, -0) ? '-' : '+'}${Math.abs(i)}j`;
    };
    const n = this.size;
    const items = n > 20 ? [...Array.from({ length: 3 }, (_, k) => fmt(k)), '...', ...Array.from({ length: 3 }, (_, k) => fmt(n - 3 + k))] : Array.from({ length: n }, (_, k) => fmt(k));
    return `complex array, shape (${this.shape.join(', ')}${this.ndim === 1 ? ',' : ''}): [${items.join(', ')}]`;
  }

  [inspectCustom](): string {
    return this.toString();
  }
}
