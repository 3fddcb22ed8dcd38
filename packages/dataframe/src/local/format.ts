/**
 * pandas 1.5's text of computed frames and series (`repr` with display.max_rows 60, min_rows 10,
 * max_columns 20, width 80, precision 6, max_colwidth 50): each column is a list of cells of
 * one width (numbers with a sign slot, text after a space, floats with common decimals), joined
 * as pandas' `adjoin` joins them; long results keep their first and last 5 rows, wide frames
 * their first and last 10 columns, and frames wider than 80 characters wrap into blocks ending
 * in `\`.
 */
import { DataType, type Vector } from 'apache-arrow';
import type { IndexLevels } from './labels';
import { timeTexts } from './format-time';
import { describeType } from '../ops/types';

/** More rows than this are shortened (display.max_rows)... */
const MAX_ROWS = 60;
/** ...to this many first and last rows each (half of display.min_rows). */
const SHOWN = 5;
/** More columns than this are shortened to the first and last half (display.max_columns). */
const MAX_COLUMNS = 20;
/** Frames wider than this wrap (display.width). */
const LINE_WIDTH = 80;
/** Longer cells end in '...' (display.max_colwidth). */
const MAX_COLWIDTH = 50;
/** Decimals of floats (display.precision). */
const DIGITS = 6;

/** The rows shown: all, or the first and last few with -1 marking the gap. */
export function shownRows(n: number): number[] {
  if (n <= MAX_ROWS) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: SHOWN }, (_, i) => i), -1, ...Array.from({ length: SHOWN }, (_, i) => n - SHOWN + i)];
}

const padLeft = (s: string, w: number): string => ' '.repeat(Math.max(0, w - s.length)) + s;
const padRight = (s: string, w: number): string => s + ' '.repeat(Math.max(0, w - s.length));
const width = (xs: readonly string[]): number => xs.reduce((a, s) => Math.max(a, s.length), 0);

/** Python's str.center (the extra space goes left when the margin and the width are odd). */
function center(s: string, w: number): string {
  const marg = w - s.length;
  if (marg <= 0) return s;
  const left = (marg >> 1) + (marg & w & 1);
  return ' '.repeat(left) + s + ' '.repeat(marg - left);
}

/** Python's `'{: .6f}'` (fixed) or `'{: .6e}'` of a finite number: a space where the sign of a non-negative would be. */
function pyFloat(x: number, sci: boolean, slot: boolean): string {
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let body: string;
  if (sci) body = a.toExponential(DIGITS).replace(/e([+-])(\d)$/, 'e$10$2');
  // toFixed switches to exponents from 1e21; such floats are integers, written out exactly.
  else body = a >= 1e21 ? `${BigInt(a)}.${'0'.repeat(DIGITS)}` : a.toFixed(DIGITS);
  return (neg ? '-' : slot ? ' ' : '') + body;
}

const DECIMAL_NUMBER = /^\s*[+-]?[0-9]+\.[0-9]*$/;

/** pandas' _trim_zeros_float: trailing zeros dropped alike from every number, keeping one decimal. */
function trimZeros(xs: string[]): string[] {
  const nums = xs.filter((x) => DECIMAL_NUMBER.test(x));
  let out = xs;
  while (nums.length > 0 && out.filter((x) => DECIMAL_NUMBER.test(x)).every((x) => x.endsWith('0'))) {
    out = out.map((x) => (DECIMAL_NUMBER.test(x) ? x.slice(0, -1) : x));
  }
  return out.map((x) => (DECIMAL_NUMBER.test(x) && x.endsWith('.') ? x + '0' : x));
}

/** pandas' FloatArrayFormatter with fixed width: fixed decimals, or exponents when values are tiny, or large and long. */
function floatCells(xs: readonly (number | null)[], slot: boolean): string[] {
  const fmt = (sci: boolean): string[] => {
    const texts = xs.map((x) => (x === null || Number.isNaN(x) ? 'NaN' : Number.isFinite(x) ? pyFloat(x, sci, slot) : (x < 0 ? '-' : slot ? ' ' : '') + 'inf'));
    return sci ? texts : trimZeros(texts);
  };
  const fixed = fmt(false);
  const tooLong = width(fixed) > DIGITS + 6;
  const abs = xs.filter((x): x is number => x !== null && !Number.isNaN(x)).map(Math.abs);
  const large = abs.some((a) => a > 1e6);
  const small = abs.some((a) => a > 0 && a < 10 ** -DIGITS);
  return small || (tooLong && large) ? fmt(true) : fixed;
}

/** pandas' is_numeric_dtype: such columns' headers get the sign slot too. */
const isNumeric = (t: DataType): boolean => DataType.isFloat(t) || DataType.isInt(t) || DataType.isBool(t);

/** The cells of some rows of a column as pandas' format_array writes them, before justifying. */
function valueCells(v: Vector, rows: readonly number[]): string[] {
  const t = v.type as DataType;
  const times = timeTexts(v, rows);
  if (times) return times;
  const vals = rows.map((r) => v.get(r) as unknown);
  if (DataType.isFloat(t)) return floatCells(vals as (number | null)[], true);
  const desc = describeType(t);
  const masked = (desc.id === 'int' || desc.id === 'bool') && desc.nullable === true;
  // Plain integers get a sign slot; masked ones and objects are written after a space (pandas' GenericArrayFormatter).
  if (DataType.isInt(t) && !masked && v.nullCount === 0) return vals.map((x) => ((x as number | bigint) < 0 ? '' : ' ') + String(x));
  // An unmasked boolean with missing values is pandas' object column (None).
  const na = DataType.isInt(t) || masked ? '<NA>' : DataType.isDictionary(t) ? 'NaN' : 'None';
  return vals.map((x) => ' ' + (x === null || x === undefined ? na : typeof x === 'boolean' ? (x ? 'True' : 'False') : String(x)));
}

/** pandas' _make_fixed_width: cells longer than max_colwidth cut to '...', then justified alike. */
function fixedWidth(cells: readonly string[], minimum: number, justify: 'left' | 'right'): string[] {
  let w = Math.max(width(cells), minimum);
  if (w > MAX_COLWIDTH) w = MAX_COLWIDTH;
  return cells.map((c) => {
    const s = c.length > w ? c.slice(0, w - 3) + '...' : c;
    return justify === 'right' ? padLeft(s, w) : padRight(s, w);
  });
}

/** The labels of index levels: as pandas' Index.format (floats with common decimals, no sign slot). */
function labelCells(v: Vector, rows: readonly number[]): string[] {
  const t = v.type as DataType;
  const times = timeTexts(v, rows);
  if (times) return times;
  const vals = rows.map((r) => v.get(r) as unknown);
  if (DataType.isFloat(t)) {
    const texts = floatCells(vals as (number | null)[], false);
    return texts.map((s) => s.trimStart());
  }
  return vals.map((x) => (x === null ? (DataType.isInt(t) ? '<NA>' : 'None') : typeof x === 'boolean' ? (x ? 'True' : 'False') : String(x)));
}

/** Each level's labels of the given rows, an outer level's label left blank where it repeats (display.multi_sparse). */
function levelTexts(idx: IndexLevels, rows: readonly number[]): string[][] {
  if (idx.levels.length === 0) return [rows.map(String)];
  const texts = idx.levels.map((v) => labelCells(v, rows));
  for (let j = 0; j < texts.length - 1; j++) {
    for (let i = texts[j].length - 1; i > 0; i--) {
      let same = true;
      for (let l = 0; l <= j && same; l++) same = idx.levels[l].get(rows[i]) === idx.levels[l].get(rows[i - 1]);
      if (same) texts[j][i] = '';
    }
  }
  return texts;
}

/** pandas' adjoin: every list but the last left-justified to its width plus `space`, the last to its width. */
function adjoin(space: number, lists: readonly (readonly string[])[]): string[] {
  const lengths = lists.map((l, i) => width(l) + (i < lists.length - 1 ? space : 0));
  const n = Math.max(...lists.map((l) => l.length));
  return Array.from({ length: n }, (_, r) => lists.map((l, i) => padRight(l[r] ?? '', lengths[i])).join(''));
}

/** The shown row positions (no gap marker) and where the gap goes. */
function splitRows(n: number): { rows: number[]; gap: number } {
  const shown = shownRows(n);
  return { rows: shown.filter((r) => r >= 0), gap: shown.indexOf(-1) };
}

export function seriesText(values: Vector, name: string | null, idx: IndexLevels, dtype: string): string {
  const n = values.length;
  const parts: string[] = [];
  if (name !== null) parts.push(`Name: ${name}`);
  if (n > MAX_ROWS) parts.push(`Length: ${n}`);
  parts.push(`dtype: ${dtype}`);
  if (n === 0) return `Series([], ${parts.join(', ')})`;
  const { rows, gap } = splitRows(n);
  const cells = fixedWidth(valueCells(values, rows), 0, 'right');
  const labels = levelTexts(idx, rows);
  // The index's first entry is its names' row (not counted in a single level's width).
  let index: string[];
  let header = false;
  if (idx.levels.length > 1) {
    header = idx.names.some((x) => x);
    index = adjoin(2, labels.map((l, j) => [idx.names[j] ?? '', ...l]));
  } else {
    header = idx.names[0] !== undefined && idx.names[0] !== null;
    index = [idx.names[0] ?? '', ...labels[0]];
  }
  if (gap >= 0) {
    const w = cells[gap - 1].length;
    cells.splice(gap, 0, center(w > 3 ? '...' : '..', w));
    index.splice(gap + 1, 0, '');
  }
  const body = adjoin(3, [index.slice(1), cells]);
  return [...(header ? [index[0]] : []), ...body, parts.join(', ')].join('\n');
}

export function frameText(names: readonly string[], vectors: readonly Vector[], numRows: number, idx: IndexLevels): string {
  if (numRows === 0) return `Empty DataFrame\nColumns: [${names.join(', ')}]\nIndex: []`;
  const { rows, gap } = splitRows(numRows);
  const wide = names.length > MAX_COLUMNS;
  const half = MAX_COLUMNS >> 1;
  const shownCols = wide ? [...Array.from({ length: half }, (_, j) => j), ...Array.from({ length: half }, (_, j) => names.length - half + j)] : names.map((_, j) => j);
  const showIndexNames = idx.names.some((x) => x);
  const headerRows = showIndexNames ? 2 : 1;

  // The index: one column of the levels joined by a space, under a blank header.
  const labels = levelTexts(idx, rows);
  const levelCols = labels.map((l, j) => fixedWidth(showIndexNames ? [idx.names[j] ?? '', ...l] : l, 0, 'left'));
  const index = ['', ...adjoin(1, levelCols)];

  const strcols: string[][] = shownCols.map((j) => {
    const v = vectors[j];
    const head = (isNumeric(v.type as DataType) ? ' ' : '') + names[j];
    const cells = fixedWidth(valueCells(v, rows), head.length, 'right');
    const w = Math.max(head.length, width(cells));
    return [padLeft(head, w), ...(showIndexNames ? [' '.repeat(w)] : []), ...cells];
  });
  if (gap >= 0) {
    const dots = (col: string[], mode: 'left' | 'right', dotCol = false): void => {
      const w = dotCol ? 4 : col[0].length;
      const d = w > 3 || dotCol ? '...' : '..';
      col.splice(gap + headerRows, 0, mode === 'left' ? padRight(d, w) : padLeft(d, w));
    };
    dots(index, 'left');
    for (const c of strcols) dots(c, 'right');
  }
  if (wide) strcols.splice(half, 0, Array.from({ length: strcols[0].length }, () => ' ...'));
  const text = joinMultiline(index, strcols);
  const truncated = gap >= 0 || wide;
  return truncated ? `${text}\n\n[${numRows} rows x ${names.length} columns]` : text;
}

/** pandas' _join_multiline: the columns cut into blocks that fit the line width, each block but the last ending in ` \`. */
function joinMultiline(index: readonly string[], strcols: readonly string[][]): string {
  const avail = LINE_WIDTH - (width(index) + 1);
  const bins: number[] = [];
  let curr = 0;
  strcols.forEach((c, i) => {
    const w = width(c) + 1;
    curr += w;
    const wrap = (i === strcols.length - 1 ? curr + 1 > avail : curr + 2 > avail) && i > 0;
    if (wrap) {
      bins.push(i);
      curr = w;
    }
  });
  bins.push(strcols.length);
  const blocks: string[] = [];
  let start = 0;
  // The slot column is as long as every other once adjoin pads it: ' \\' then blanks.
  const lines = index.length;
  bins.forEach((end, b) => {
    const block: (readonly string[])[] = [index, ...strcols.slice(start, end)];
    if (bins.length > 1) block.push(b < bins.length - 1 ? [' \\', ...Array.from({ length: lines - 1 }, () => '  ')] : Array.from({ length: lines }, () => ' '));
    blocks.push(adjoin(1, block).join('\n'));
    start = end;
  });
  return blocks.join('\n\n');
}
