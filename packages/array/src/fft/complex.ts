/**
 * A lazy complex array (what `da.fft` transforms return): a float64 `ChunkedArray` of
 * interleaved (re, im) pairs, `pairs`, whose last axis (length 2, one chunk) is the real and
 * imaginary part: NumPy's complex128 memory layout, so a block crosses threads as one buffer.
 * It is a core collection: `compute()` gives a `ComplexNDArray`, and core's `compute(z, x)`
 * shares work with other arrays.
 */
import { CollectionBase, collectionSymbol, type CollectionGraph, type ComputeOptions } from '@pdask/core';
import type { ChunkedArray } from '../array';
import type { Chunks, ChunksSpec } from '../chunks';
import { asArray, type ArrayLike } from '../creation/from-array';
import { astype, binary } from '../elementwise/build';
import { chooseScheduler } from '../inline';
import type { NDArray } from '../ndarray';
import { arrayOps } from '../ops/index';
import { rechunk } from '../rechunk/rechunk';
import { stack } from '../shape/shape';
import { getitem } from '../slicing/slicing';
import type { ComplexNDArray } from './complex-ndarray';

type A = ChunkedArray<unknown>;

export class ComplexArray extends CollectionBase<ComplexNDArray> {
  /** @internal */
  constructor(
    /** The interleaved float64 pairs: shape `[...shape, 2]`, last axis one chunk. */
    readonly pairs: ChunkedArray<NDArray>,
  ) {
    super();
    if (pairs.shape[pairs.ndim - 1] !== 2 || pairs.numblocks[pairs.ndim - 1] !== 1) throw new RangeError('ComplexArray: the last axis of pairs must be one chunk of length 2');
  }

  readonly dtype = 'complex128' as const;
  get name(): string {
    return this.pairs.name;
  }
  get shape(): readonly number[] {
    return this.pairs.shape.slice(0, -1);
  }
  get ndim(): number {
    return this.pairs.ndim - 1;
  }
  get chunks(): Chunks {
    return this.pairs.chunks.slice(0, -1);
  }
  get numblocks(): number[] {
    return this.pairs.numblocks.slice(0, -1);
  }
  get nbytes(): number {
    return this.pairs.nbytes;
  }

  /** The real part (float64), lazily. */
  get real(): ChunkedArray<NDArray> {
    return getitem(this.pairs, ['...', 0]) as ChunkedArray<NDArray>;
  }
  /** The imaginary part (float64), lazily. */
  get imag(): ChunkedArray<NDArray> {
    return getitem(this.pairs, ['...', 1]) as ChunkedArray<NDArray>;
  }
  /** |z| (float64). */
  abs(): ChunkedArray<NDArray> {
    return binary('hypot', this.real, this.imag) as ChunkedArray<NDArray>;
  }
  /** The complex conjugate. */
  conj(): ComplexArray {
    return new ComplexArray(binary('mul', this.pairs, new Float64Array([1, -1])) as ChunkedArray<NDArray>);
  }
  rechunk(chunks: ChunksSpec): ComplexArray {
    const spec = typeof chunks === 'number' || chunks === 'auto' ? this.shape.map(() => chunks) : [...chunks];
    return new ComplexArray(rechunk(this.pairs, [...spec, -1]));
  }

  [collectionSymbol](): CollectionGraph<ComplexNDArray> {
    const g = this.pairs[collectionSymbol]();
    return {
      ...g,
      finalize: { op: arrayOps.assembleComplex.ref, args: [{ dtype: 'float64', shape: this.pairs.shape, chunks: this.pairs.chunks }] },
      rebuild: (values) => new ComplexArray(g.rebuild(values) as ChunkedArray<NDArray>),
    };
  }

  protected tokenKey(): unknown {
    return this.pairs.name;
  }

  protected override computeOptions(opts: ComputeOptions, persist: boolean): ComputeOptions {
    return chooseScheduler([this.pairs.layer], opts, persist);
  }

  toString(): string {
    const t = (xs: readonly number[]) => `(${xs.join(', ')}${xs.length === 1 ? ',' : ''})`;
    return `pdask.array<${this.name.split('-')[0]}, shape=${t(this.shape)}, dtype=complex128, chunksize=${t(this.pairs.chunksize.slice(0, -1))}>`;
  }
}

/** A complex array from real and imaginary parts (NumPy's `re + 1j * im`); `im` defaults to zeros. */
export function complex(re: A | ArrayLike, im?: A | ArrayLike): ComplexArray {
  const toF = (x: A) => (x.dtype === 'float64' ? x : astype(x, 'float64'));
  const r = toF(asArray(re));
  const i = im === undefined ? (binary('mul', r, 0) as A) : toF(asArray(im));
  if (r.ndim !== i.ndim || r.shape.some((s, d) => s !== i.shape[d])) throw new RangeError(`complex: real part has shape [${r.shape.join(', ')}], imaginary part [${i.shape.join(', ')}]`);
  const s = stack([r, i], -1);
  return new ComplexArray(rechunk(s, [...s.chunks.slice(0, -1).map((c) => [...c]), -1]) as ChunkedArray<NDArray>);
}
