/**
 * `isclose` / `allclose` (NumPy's): |a - b| <= atol + rtol |b| where both are finite, equality
 * elsewhere (infinities of one sign are close), NaN close to NaN only with `equalNan`. Integer
 * operands are compared in float64, as NumPy does, so |a - b| cannot wrap around.
 */
import { checkOptions, type OptionSchema } from '@pdask/core';
import type { ChunkedArray } from '../array';
import { asArray, type ArrayLike } from '../creation/from-array';
import { astype, binary, unary, where } from '../elementwise/build';
import type { NDArray } from '../ndarray';
import { reduceBuiltin } from '../reductions/reductions';

type A = ChunkedArray<unknown>;
type In = A | ArrayLike | number;

export interface IscloseOptions {
  /** Default 1e-5. */
  rtol?: number;
  /** Default 1e-8. */
  atol?: number;
  /** NaN is close to NaN (default false). */
  equalNan?: boolean;
}
const SCHEMA: OptionSchema<IscloseOptions> = { rtol: 'number', atol: 'number', equalNan: 'boolean' };

const float = (x: In): A | number => {
  if (typeof x === 'number') return x;
  const a = asArray(x);
  return a.dtype === 'float64' || a.dtype === 'float32' ? a : astype(a, 'float64');
};

function close(who: string, a: In, b: In, options: IscloseOptions | undefined): A {
  const o = checkOptions(who, options, SCHEMA);
  const x = float(a);
  const y = float(b);
  if (typeof x === 'number' && typeof y === 'number') throw new TypeError(`${who}: at least one operand must be an array`);
  const rtol = o.rtol ?? 1e-5;
  const atol = o.atol ?? 1e-8;
  // A scalar operand's own tests are done here: the expression builders need an array operand.
  const isFinite = (v: A | number) => (typeof v === 'number' ? Number.isFinite(v) : unary('isfinite', v));
  const isNan = (v: A | number) => (typeof v === 'number' ? Number.isNaN(v) : unary('isnan', v));
  const tol = typeof y === 'number' ? Math.abs(y) * rtol + atol : binary('add', binary('mul', unary('abs', y), rtol), atol);
  const finite = binary('logicalAnd', isFinite(x), isFinite(y));
  const within = binary('le', unary('abs', binary('sub', x, y)), tol);
  let r = where(finite, within, binary('eq', x, y));
  if (o.equalNan) r = binary('logicalOr', r, binary('logicalAnd', isNan(x), isNan(y)));
  return r;
}

/** Elementwise closeness (bool array, broadcast shape). */
export function isclose(a: In, b: In, options?: IscloseOptions): ChunkedArray<NDArray> {
  return close('da.isclose', a, b, options) as ChunkedArray<NDArray>;
}

/** Whether every element is close (a lazy boolean). */
export function allclose(a: In, b: In, options?: IscloseOptions): ChunkedArray<boolean> {
  return reduceBuiltin<boolean>(close('da.allclose', a, b, options), 'all');
}
