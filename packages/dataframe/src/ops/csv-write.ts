/**
 * Writing one partition as a CSV file (toCsv): a header line, then one line per row. Missing
 * values are empty fields, booleans True/False and whole floats '1.0', as pandas writes them; a
 * field holding the separator, a quote or a line break is quoted, its quotes doubled.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataType, type Vector } from 'apache-arrow';
import { decodePart, type Part } from './part';
import { indexColumnsOf, isIndexColumn } from './spec';

function quote(s: string, sep: string): string {
  return s.includes(sep) || s.includes('"') || s.includes('\n') || s.includes('\r') ? `"${s.replace(/"/g, '""')}"` : s;
}

function cellText(x: unknown, isFloat: boolean): string {
  if (x === null || x === undefined || (typeof x === 'number' && x !== x)) return '';
  if (typeof x === 'boolean') return x ? 'True' : 'False';
  if (isFloat && typeof x === 'number' && Number.isInteger(x) && Math.abs(x) < 1e16) return x.toFixed(1);
  return String(x);
}

export interface CsvWriteSpec {
  path: string;
  sep: string;
  /** Header names of the index columns (levels), when the partition has some. */
  indexNames: readonly string[];
}

export const writeCsvPart = (part: Part, spec: CsvWriteSpec): string => {
  const b = decodePart(part);
  const idx = indexColumnsOf(b.names);
  const cols = [...idx, ...b.names.filter((n) => !isIndexColumn(n))];
  const vectors = cols.map((c) => b.vectors[b.names.indexOf(c)] as Vector);
  const floats = vectors.map((v) => DataType.isFloat(v.type));
  const header = cols.map((c, j) => quote(j < idx.length ? (spec.indexNames[j] ?? '') : c, spec.sep));
  const lines = [header.join(spec.sep)];
  for (let i = 0; i < b.numRows; i++) lines.push(vectors.map((v, j) => quote(cellText(v.get(i), floats[j]), spec.sep)).join(spec.sep));
  mkdirSync(dirname(spec.path), { recursive: true });
  writeFileSync(spec.path, lines.join('\n') + '\n');
  return spec.path;
};

export const collectPaths = (paths: readonly string[]): string[] => [...paths];
