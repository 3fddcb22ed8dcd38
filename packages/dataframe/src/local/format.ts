/**
 * pandas-like text of computed frames and series: right-aligned values, floats with up to six
 * decimals trimmed alike down a column, long results shortened to their first and last rows.
 */
import { DataType, type Vector } from 'apache-arrow';
import type { IndexLevels } from './labels';
import { timeTexts } from './format-time';

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
  const times = timeTexts(v, rows);
  if (times) {
    texts = times;
  } else if (DataType.isFloat(t)) {
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

/** The index labels of the shown rows, one list per level: row positions when there is no index. */
function levelTexts(idx: IndexLevels, rows: readonly number[]): string[][] {
  if (idx.levels.length === 0) return [rows.map((r) => (r < 0 ? '...' : String(r)))];
  const texts = idx.levels.map((v) => formatColumn(v, rows));
  // pandas shows an outer level's label only where it changes (display.multi_sparse).
  for (let j = 0; j < texts.length - 1; j++) {
    for (let i = texts[j].length - 1; i > 0; i--) {
      if (rows[i] < 0 || rows[i - 1] < 0) continue;
      let same = true;
      for (let l = 0; l <= j && same; l++) same = idx.levels[l].get(rows[i]) === idx.levels[l].get(rows[i - 1]);
      if (same) texts[j][i] = '';
    }
  }
  return texts;
}

/** Each level's width: its longest label or name. */
function levelWidths(texts: readonly string[][], names: readonly (string | null)[]): number[] {
  return texts.map((t, j) => width(names[j] ? [...t, names[j]!] : t));
}

export function seriesText(values: Vector, name: string | null, idx: IndexLevels, dtype: string): string {
  const n = values.length;
  const rows = shownRows(n);
  const labels = levelTexts(idx, rows);
  const widths = levelWidths(labels, idx.names);
  const texts = formatColumn(values, rows);
  const wv = width(texts);
  const lines: string[] = [];
  if (idx.names.length === 1 && idx.names[0]) lines.push(idx.names[0]);
  // Levels of a MultiIndex are two spaces apart, their names padded to the levels' widths.
  else if (idx.names.length > 1 && idx.names.some((x) => x)) lines.push(idx.names.map((x, j) => padRight(x ?? '', widths[j])).join('  '));
  for (let i = 0; i < rows.length; i++) lines.push(`${labels.map((l, j) => padRight(l[i], widths[j])).join('  ')}    ${padLeft(texts[i], wv)}`.trimEnd());
  const parts: string[] = [];
  if (name !== null) parts.push(`Name: ${name}`);
  if (n > MAX_ROWS) parts.push(`Length: ${n}`);
  parts.push(`dtype: ${dtype}`);
  if (n === 0) return `Series([], ${parts.join(', ')})`;
  lines.push(parts.join(', '));
  return lines.join('\n');
}

export function frameText(names: readonly string[], vectors: readonly Vector[], numRows: number, idx: IndexLevels): string {
  if (numRows === 0) return `Empty DataFrame\nColumns: [${names.join(', ')}]\nIndex: []`;
  const rows = shownRows(numRows);
  const labels = levelTexts(idx, rows);
  const widths = levelWidths(labels, idx.names);
  // In a frame, index levels are one space apart.
  const wi = widths.reduce((a, w) => a + w, 0) + widths.length - 1;
  const cols = vectors.map((v, j) => {
    const texts = formatColumn(v, rows);
    return { head: names[j], texts, w: width([...texts, names[j]]) };
  });
  const lines: string[] = [];
  lines.push((' '.repeat(wi) + cols.map((c) => '  ' + padLeft(c.head, c.w)).join('')).trimEnd());
  if (idx.names.some((x) => x)) lines.push(padRight(idx.names.map((x, j) => padRight(x ?? '', widths[j])).join(' '), wi + cols.reduce((a, c) => a + 2 + c.w, 0)));
  for (let i = 0; i < rows.length; i++) lines.push(labels.map((l, j) => padRight(l[i], widths[j])).join(' ') + cols.map((c) => '  ' + padLeft(c.texts[i], c.w)).join(''));
  if (numRows > MAX_ROWS) lines.push('', `[${numRows} rows x ${names.length} columns]`);
  return lines.join('\n');
}
