/**
 * Converting a column to another type (astype, and results of user functions brought to their
 * declared meta). Missing values stay missing; a value the target cannot hold fails with the column
 * and the value named, as pandas raises rather than silently changing data.
 */
import { DataType, type Vector } from 'apache-arrow';
import { castSpecial } from './cast-types';
import { numbersAs } from './results';
import { arrowType, describeType, dtypeName, type TypeDesc } from './types';
import { stringVector, toFloat64 } from './values';

const sameType = (a: TypeDesc, b: TypeDesc): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The value range of an integer type. */
function intRange(t: TypeDesc & { id: 'int' }): [number, number] {
  if (t.bits === 64) return t.signed ? [-(2 ** 63), 2 ** 63 - 1] : [0, 2 ** 64 - 1];
  return t.signed ? [-(2 ** (t.bits - 1)), 2 ** (t.bits - 1) - 1] : [0, 2 ** t.bits - 1];
}

/** A float as Python's str() writes it for whole numbers ('1.0'), else as JavaScript does. */
const floatText = (x: number): string => (Number.isInteger(x) && Math.abs(x) < 1e16 ? x.toFixed(1) : String(x));

/** Numbers of any numeric, boolean or string column as float64 (null/NaN = NaN). */
function asNumbers(v: Vector, column: string, method: string, rowOffset: number): Float64Array {
  const t = v.type as DataType;
  if (DataType.isFloat(t) || DataType.isInt(t) || DataType.isBool(t)) return toFloat64(v);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const s = v.get(i) as string | null;
    if (s === null) {
      out[i] = NaN;
      continue;
    }
    const x = s.trim() === '' ? NaN : Number(s);
    if (x !== x && s.trim().toLowerCase() !== 'nan') throw new TypeError(`${method}: column '${column}' holds ${JSON.stringify(s)} at row ${rowOffset + i}, which is not a number`);
    out[i] = x;
  }
  return out;
}

/**
 * `v` as type `to`; the same vector when it already is. `rowOffset` is the row of the whole
 * collection where `v` starts, so that errors name the row the user sees.
 */
export function castVector(v: Vector, to: TypeDesc, column: string, method: string, rowOffset = 0): Vector {
  const from = describeType(v.type);
  if (sameType(from, to)) return v;
  if (from.id === 'list' || from.id === 'struct') throw new TypeError(`${method}: column '${column}' holds ${from.id}s (dtype object); it cannot become ${dtypeName(to)}`);
  const special = castSpecial(v, from, to, column, method);
  if (special !== undefined) return special;
  switch (to.id) {
    case 'float': {
      return numbersAs(asNumbers(v, column, method, rowOffset), to);
    }
    case 'int': {
      const x = asNumbers(v, column, method, rowOffset);
      const [lo, hi] = intRange(to);
      const fromFloat = from.id === 'float';
      for (let i = 0; i < x.length; i++) {
        const xi = x[i];
        // pandas refuses NaN in integer columns; nulls of Arrow integer columns stay nulls.
        if (xi !== xi) {
          if (fromFloat) throw new TypeError(`${method}: column '${column}' has a missing value at row ${rowOffset + i}; it cannot become ${dtypeName(to)} (fill it first with fillna)`);
          continue;
        }
        // Floats are truncated toward zero, as pandas/NumPy do; text must spell an integer.
        if (!Number.isInteger(xi) && from.id === 'utf8') throw new TypeError(`${method}: column '${column}' holds ${xi} at row ${rowOffset + i}, which is not an integer`);
        const xt = Math.trunc(xi);
        if (xt < lo || xt > hi) throw new RangeError(`${method}: column '${column}' holds ${xi} at row ${rowOffset + i}, outside the range of ${dtypeName(to)}`);
        x[i] = xt;
      }
      return numbersAs(x, to);
    }
    case 'bool': {
      if (from.id === 'utf8' || from.id === 'dict') throw new TypeError(`${method}: column '${column}' has dtype ${dtypeName(from)}; it cannot become bool`);
      const x = toFloat64(v);
      // pandas: zero is false, everything else (NaN included) true.
      return numbersAs(Float64Array.from(x, (xi) => (xi === 0 ? 0 : 1)), to);
    }
    case 'utf8': {
      const isFloat = from.id === 'float';
      const out: (string | null)[] = new Array(v.length);
      for (let i = 0; i < v.length; i++) {
        const x = v.get(i) as number | string | boolean | bigint | null;
        out[i] = x === null || (typeof x === 'number' && x !== x) ? null : typeof x === 'boolean' ? (x ? 'True' : 'False') : isFloat ? floatText(x as number) : String(x);
      }
      return stringVector(out);
    }
    case 'dict':
    case 'timestamp':
    case 'duration':
    case 'list':
    case 'struct':
      throw new TypeError(`${method}: column '${column}' cannot become ${dtypeName(to)} (${String(arrowType(to))})`);
  }
}
