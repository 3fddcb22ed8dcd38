/** Category values and how scikit-learn spells them in feature names (Python's `str`). */

/** A category: a number (NaN for a missing number), a string, a boolean, or null (a missing string). */
export type Category = number | string | boolean | null;

/** Python's repr of a float: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expStr] = x.toExponential().split('e');
  const exp = Number(expStr);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const sign = neg ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** Python's `str` of a category as scikit-learn writes it into `<feature>_<category>`. */
export function categoryName(c: Category, integer: boolean, missingName = 'None'): string {
  if (c === null) return missingName;
  if (typeof c === 'boolean') return c ? 'True' : 'False';
  if (typeof c === 'string') return c;
  if (integer && Number.isFinite(c)) return String(c);
  return pyFloat(c);
}
