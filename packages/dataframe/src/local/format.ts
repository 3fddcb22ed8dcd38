/**
 * pandas-like text of computed frames and series: right-aligned values, floats with up to six
 * decimals trimmed alike down a column, long results shortened to their first and last rows.
 */
import { DataType, type Vector } from 'apache-arrow';

/** More rows than this are shortened (pandas' display.max_rows)... */
const MAX_ROWS = 60;
/** ...to this many first and last rows each (half of pandas' display.min_rows). */
const SHOWN = 5;

/** The rows shown: all, or the first and last few with -1 marking the gap. */
export function shownRows(n: number): number[] {
  if (n <= MAX_ROWS) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: SHOWN }, (_, i) => i), -1, ...Array.from({ length: SHOWN }, (_, i) => n - SHOWN + i)];
}

function formatFloats(xs: readonly (number | null)[]): string[] {
  const finite = xs.filter((x): x is number => x !== null && Number.isFinite(x));
  const absMax = finite.reduce((a, x) => Math.max(a, Math.abs(x)), 0);
  const absMinNonzero = finite.reduce((a, x) => (x !== 0 ? Math.min(a, Math.abs(x)) : a), Infinity);
  // pandas switches a column to scientific notation when a value would show no significant digit.
  const scientific = absMax >= 1e16 || absMinNonzero < 1e-6;
  if (scientific) return xs.map((x) => (x === null || Number.isNaN(x) ? 'NaN' : Number.isFinite(x) ? x.toExponential(6).replace(/e([+-])(\d)$/, 'e$10$2') : x > 0 ? 'inf' : '-inf'));
  const fixed = finite.map((x) => x.toFixed(6));
  // Trailing zeros are dropped only as far as every value of the column allows (at least one decimal).
  let keep = 1;
  for (const s of fixed) {
    const dec = s.slice(s.indexOf('.') + 1).replace(/0+$/, '');
    keep = Math.max(keep, dec.length);
  }
  return xs.map((x) => (x === null || Number.isNaN(x) ? 'NaN' : Number.isFinite(x) ? x.toFixed(keep) : x > 0 ? 'inf' : '-inf'));
}

/** The texts of some rows of a column (a gap row as '...'). */
export function formatColumn(v: Vector, rows: readonly number[]): string[] {
  const t = v.type as DataType;
  const vals = rows.map((r) => (r < 0 ? undefined : (v.get(r) as unknown)));
  let texts: string[];
  if (DataType.isFloat(t)) {
    texts = formatFloats(vals.filter((x) => x !== undefined) as (number | null)[]);
  } else {
    texts = vals.filter((x) => x !== undefined).map((x) => (x === null ? (DataType.isInt(t) ? '<NA>' : 'None') : typeof x === 'boolean' ? (x ? 'True' : 'False') : String(x)));
  }
  const out: string[] = [];
  let j = 0;
  for (const x of vals) out.push(x === undefined ? '...' : texts[j++]);
  return out;
}

export const padLeft = (s: string, w: number): string => ' '.repeat(Math.max(0, w - s.length)) + s;
export const padRight = (s: string, w: number): string => s + ' '.repeat(Math.max(0, w - s.length));
const width = (xs: readonly string[]): number => xs.reduce((a, s) => Math.max(a, s.length), 0);

export interface IndexText {
  name: string | null;
  labels: string[];
}

/** Index labels of the shown rows: the index column's values, or row positions. */
export function indexLabels(index: Vector | undefined, rows: readonly number[]): string[] {
  if (index) return formatColumn(index, rows);
  return rows.map((r) => (r < 0 ? '...' : String(r)));
}

export function seriesText(values: Vector, name: string | null, index: Vector | undefined, indexName: string | null, dtype: string): string {
  const n = values.length;
  const rows = shownRows(n);
  const labels = indexLabels(index, rows);
  const texts = formatColumn(values, rows);
  const wi = width(indexName ? [...labels, indexName] : labels);
  const wv = width(texts);
  const lines: string[] = [];
  if (indexName) lines.push(indexName);
  for (let i = 0; i < rows.length; i++) lines.push(`${padRight(labels[i], wi)}    ${padLeft(texts[i], wv)}`.trimEnd());
  const parts: string[] = [];
  if (name !== null) parts.push(`Name: ${name}`);
  if (n > MAX_ROWS) parts.push(`Length: ${n}`);
  parts.push(`dtype: ${dtype}`);
  if (n === 0) return `Series([], ${parts.join(', ')})`;
  lines.push(parts.join(', '));
  return lines.join('\n');
}

export function frameText(names: readonly string[], vectors: readonly Vector[], numRows: number, index: Vector | undefined, indexName: string | null): string {
  if (numRows === 0) return `Empty DataFrame\nColumns: [${names.join(', ')}]\nIndex: []`;
  const rows = shownRows(numRows);
  const labels = indexLabels(index, rows);
  const wi = width(indexName ? [...labels, indexName] : labels);
  const cols = vectors.map((v, j) => {
    const texts = formatColumn(v, rows);
    return { head: names[j], texts, w: width([...texts, names[j]]) };
  });
  const lines: string[] = [];
  lines.push((' '.repeat(wi) + cols.map((c) => '  ' + padLeft(c.head, c.w)).join('')).trimEnd());
  if (indexName) lines.push(padRight(indexName, wi + cols.reduce((a, c) => a + 2 + c.w, 0)));
  for (let i = 0; i < rows.length; i++) lines.push(padRight(labels[i], wi) + cols.map((c) => '  ' + padLeft(c.texts[i], c.w)).join(''));
  if (numRows > MAX_ROWS) lines.push('', `[${numRows} rows x ${names.length} columns]`);
  return lines.join('\n');
}
