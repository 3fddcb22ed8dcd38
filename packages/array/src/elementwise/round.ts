/**
 * NumPy's `around` (`np.round(x, decimals)`): scale by 10^decimals, round half to even, scale back,
 * the way NumPy computes it (so 2.675 rounds to 2.68, as 2.675 * 100 is 267.5 in float64).
 * Integers are returned unchanged for decimals >= 0 and rounded through float64 to a multiple of
 * 10^-decimals (in their own dtype) otherwise.
 */
import { ChunkedArray } from '../array';
import { asArray, type ArrayLike } from '../creation/from-array';
import { isFloat } from '../dtype';
import { astype, binary, unary, type Operand } from './build';

export function round(x0: Operand, decimals = 0): ChunkedArray<unknown> {
  if (typeof x0 === 'number' || typeof x0 === 'boolean') throw new TypeError('round: the operand must be an array');
  const x = x0 instanceof ChunkedArray ? x0 : asArray(x0 as ArrayLike);
  if (!Number.isInteger(decimals)) throw new TypeError(`round: decimals must be an integer, got ${decimals}`);
  // NumPy rounds bool through float16 (float64 here) and cannot cast the scaled result back.
  if (x.dtype === 'bool') {
    if (decimals !== 0) throw new TypeError("round: Cannot cast ufunc 'divide' output from dtype('float64') to dtype('bool') with casting rule 'same_kind'");
    return astype(x, 'float64');
  }
  const int = !isFloat(x.dtype);
  if (decimals === 0) return int ? x : unary('rint', x);
  if (int && decimals > 0) return x;
  const f = 10 ** Math.abs(decimals);
  const r = decimals > 0 ? binary('div', unary('rint', binary('mul', x, f)), f) : binary('mul', unary('rint', binary('div', x, f)), f);
  return int ? astype(r, x.dtype) : r;
}
