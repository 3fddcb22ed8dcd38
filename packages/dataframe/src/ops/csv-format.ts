/**
 * Texts of float cells as pandas 1.5's to_csv writes them: NumPy's `astype(str)` (the shortest
 * text that reads back to the same value, scientific from 1e16 and below 1e-4, as Python's repr),
 * or a `float_format` of the forms '%.Nf' and '%.Ne', rounded from the exact binary value half to
 * even, as Python's `%` operator rounds.
 */

/** A parsed float_format: fixed ('f') or scientific ('e') with this many digits after the point. */
export interface FloatFormat {
  kind: 'f' | 'e';
  digits: number;
}

/** '%.3f', '%f', '%.2e', '%e' (Python's default precision is 6); null for any other form. */
export function parseFloatFormat(spec: string): FloatFormat | null {
  const m = /^%(?:\.(\d{1,2}))?([fe])$/.exec(spec);
  return m ? { kind: m[2] as 'f' | 'e', digits: m[1] === undefined ? 6 : Number(m[1]) } : null;
}

function nonFinite(x: number): string | undefined {
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return x !== x ? 'nan' : undefined;
}

/** Shortest digits and decimal exponent as Python's repr lays them out. */
function reprOf(negative: boolean, digits: string, exp: number): string {
  const sign = negative ? '-' : '';
  if (exp >= -4 && exp < 16) {
    if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
    const int = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    return `${sign}${int}.${digits.slice(exp + 1) || '0'}`;
  }
  const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** Splits JavaScript's exponential text ('1.25e+3') into digits and exponent. */
function splitExp(text: string): [string, number] {
  const [m, e] = text.split('e');
  return [m.replace('.', ''), Number(e)];
}

/** A float64 as NumPy's str() writes it ('0.1', '1.0', '1e+16', '1e-05'). */
export function float64Text(x: number): string {
  const nf = nonFinite(x);
  if (nf !== undefined) return nf;
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // toExponential() without a precision gives the shortest digits that read back to x.
  const [digits, exp] = splitExp(Math.abs(x).toExponential());
  return reprOf(x < 0, digits, exp);
}

/** A float32 as NumPy's str() writes it: the shortest digits that read back to the same float32. */
export function float32Text(x: number): string {
  const nf = nonFinite(x);
  if (nf !== undefined) return nf;
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const a = Math.abs(x);
  for (let p = 1; p <= 9; p++) {
    const t = a.toExponential(p - 1);
    if (Math.fround(Number(t)) === a) {
      const [digits, exp] = splitExp(t);
      return reprOf(x < 0, digits.replace(/0+$/, '') || '0', exp);
    }
  }
  return float64Text(x);
}

/** The exact value of a finite double as an integer and a count of decimal places: n / 10^scale. */
function exactDecimal(x: number): { n: bigint; scale: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number(bits >> 52n);
  const frac = bits & ((1n << 52n) - 1n);
  const mant = biased === 0 ? frac : frac | (1n << 52n);
  const e = (biased === 0 ? 1 : biased) - 1075;
  if (e >= 0) return { n: mant << BigInt(e), scale: 0 };
  return { n: mant * 5n ** BigInt(-e), scale: -e };
}

/** n / 10^drop rounded half to even. */
function roundDrop(n: bigint, drop: number): bigint {
  if (drop <= 0) return n * 10n ** BigInt(-drop);
  const p = 10n ** BigInt(drop);
  const q = n / p;
  const r = n % p;
  const twice = 2n * r;
  return twice > p || (twice === p && q % 2n === 1n) ? q + 1n : q;
}

/** A float under '%.Nf' / '%.Ne', as Python's `%` writes it ('-0.00' keeps the sign, as Python). */
export function formatFloat(x: number, f: FloatFormat): string {
  const nf = nonFinite(x);
  if (nf !== undefined) return nf;
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const { n, scale } = exactDecimal(x);
  if (f.kind === 'f') {
    const q = roundDrop(n, scale - f.digits).toString().padStart(f.digits + 1, '0');
    const int = q.slice(0, q.length - f.digits);
    return f.digits === 0 ? `${sign}${int}` : `${sign}${int}.${q.slice(q.length - f.digits)}`;
  }
  let exp = 0;
  let mant = '0'.repeat(f.digits + 1);
  if (n !== 0n) {
    const d = n.toString();
    exp = d.length - 1 - scale;
    mant = roundDrop(n, d.length - (f.digits + 1)).toString();
    // Rounding up 9.99… carries into one more digit: the exponent grows by one.
    if (mant.length > f.digits + 1) {
      mant = mant.slice(0, f.digits + 1);
      exp += 1;
    }
  }
  const m = f.digits === 0 ? mant : `${mant[0]}.${mant.slice(1)}`;
  return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

const NS_PER_DAY = 86_400_000_000_000n;
const two = (n: bigint): string => String(n).padStart(2, '0');
const three = (n: bigint): string => String(n).padStart(3, '0');

/**
 * Timedeltas (bigint nanoseconds) as pandas 1.5's to_csv writes a column of them: '400 days' when
 * every value is whole days, else '1 days 02:00:00' with '.mmmuuu' (and 'nnn') only on the values
 * that have them, negative values as floored days and a positive remainder ('-1 days +23:59:58').
 */
export function durationCsvTexts(values: readonly (bigint | null)[], naRep: string): string[] {
  const evenDays = values.every((v) => v === null || v % NS_PER_DAY === 0n);
  return values.map((v) => {
    if (v === null) return naRep;
    let days = v / NS_PER_DAY;
    let rem = v % NS_PER_DAY;
    if (rem < 0n) {
      days -= 1n;
      rem += NS_PER_DAY;
    }
    if (evenDays) return `${days} days`;
    const ns = rem % 1000n;
    const us = (rem / 1000n) % 1000n;
    const ms = (rem / 1_000_000n) % 1000n;
    const s = (rem / 1_000_000_000n) % 60n;
    const m = (rem / 60_000_000_000n) % 60n;
    const h = rem / 3_600_000_000_000n;
    let secs = two(s);
    if (ms || us || ns) secs += `.${three(ms)}${three(us)}${ns ? three(ns) : ''}`;
    return `${days} days${v < 0n ? ' +' : ' '}${two(h)}:${two(m)}:${secs}`;
  });
}
