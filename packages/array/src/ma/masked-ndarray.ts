/**
 * The eager result of a masked array's `compute()` (NumPy's `np.ma.MaskedArray`): the data, a
 * bool mask of the same shape (true = missing), and the fill value `filled()` uses.
 */
/** Node's util.inspect.custom (a registered symbol: no import of node:util, which a browser lacks). */
const inspectCustom = Symbol.for('nodejs.util.inspect.custom');
import { castData } from '../runtime/block';
import { NDArray, type NestedArray } from '../ndarray';

/** Nested JS arrays with null for masked elements. */
export type MaskedNested = number | boolean | null | readonly MaskedNested[];

export class MaskedNDArray {
  constructor(
    readonly data: NDArray,
    readonly mask: NDArray,
    readonly fillValue: number,
  ) {
    if (mask.dtype !== 'bool') throw new TypeError(`MaskedNDArray: the mask must be bool, got ${mask.dtype}`);
    if (mask.shape.length !== data.shape.length || mask.shape.some((s, d) => s !== data.shape[d])) {
      throw new RangeError(`MaskedNDArray: mask shape [${mask.shape.join(', ')}] differs from data shape [${data.shape.join(', ')}]`);
    }
  }
  get shape(): readonly number[] {
    return this.data.shape;
  }
  get dtype(): NDArray['dtype'] {
    return this.data.dtype;
  }
  get ndim(): number {
    return this.data.ndim;
  }
  get size(): number {
    return this.data.size;
  }
  /** Number of elements that are not masked. */
  count(): number {
    let n = 0;
    for (let k = 0; k < this.mask.size; k++) n += this.mask.data[k] ? 0 : 1;
    return n;
  }
  /** One element, or null where masked. */
  get(...index: number[]): number | null {
    return this.mask.get(...index) ? null : this.data.get(...index);
  }
  /** The data with masked elements replaced by `value` (default: the fill value), cast to the dtype. */
  filled(value: number = this.fillValue): NDArray {
    const out = this.data.values.slice();
    // Cast as NumPy's assignment into the dtype does (bool: nonzero; ints: truncated, wrapped).
    const tmp = castData(Float64Array.of(value), 'float64', this.data.dtype);
    for (let k = 0; k < out.length; k++) if (this.mask.data[k]) out[k] = tmp[0];
    return new NDArray(out, this.shape, this.data.dtype);
  }
  /** Nested JS arrays, null for masked elements (booleans for bool data). */
  toArray(): MaskedNested {
    const d = this.data.toArray();
    const m = this.mask.toArray();
    const rec = (x: NestedArray, mm: NestedArray): MaskedNested => (Array.isArray(x) ? (x as NestedArray[]).map((v, i) => rec(v, (mm as NestedArray[])[i])) : mm ? null : (x as number | boolean));
    return rec(d, m);
  }
  toString(): string {
    const body = JSON.stringify(this.toArray()).replace(/null/g, '--').replace(/,/g, ', ');
    return `masked_array(data=${body}, dtype=${this.dtype}, fill_value=${this.fillValue})`;
  }
  [inspectCustom](): string {
    return this.toString();
  }
}
