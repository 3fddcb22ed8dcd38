/**
 * Parquet column types and pdask's dtypes, as pandas 1.5 gets them through pyarrow, with the
 * departures the README lists: dates become datetime64[ns] (pandas: objects), decimals float64
 * (pandas: Decimal objects), lists and structs JSON text (pandas: Python lists and dicts), since
 * pdask has no object dtype.
 */
import type { FileMetaData, SchemaElement } from 'hyparquet';
import type { TypeDesc } from '../../ops/types';
import { arrowHints, type ArrowHint } from './arrow-schema';

/** How a decoded column becomes Arrow cells (see read-piece.ts). */
export type Decode = 'plain' | 'decimal' | 'nested';

/** A top-level column of a file: its dtype and how its decoded values are converted. */
export interface ColumnPlan {
  name: string;
  type: TypeDesc;
  decode: Decode;
  /** Digits after the point of a decimal column. */
  scale?: number;
}

const int = (bits: 8 | 16 | 32 | 64, signed: boolean): TypeDesc => ({ id: 'int', bits, signed });
const CATEGORY: TypeDesc = { id: 'dict', value: { id: 'utf8' }, index: { id: 'int', bits: 32, signed: true } };

function integerType(e: SchemaElement): TypeDesc | string {
  const lt = e.logical_type?.type === 'INTEGER' ? e.logical_type : undefined;
  const conv = /^(U?)INT_(8|16|32|64)$/.exec(e.converted_type ?? '');
  if (lt) return int(lt.bitWidth as 8 | 16 | 32 | 64, lt.isSigned);
  if (conv) return int(Number(conv[2]) as 8 | 16 | 32 | 64, conv[1] === '');
  return int(e.type === 'INT32' ? 32 : 64, true);
}

/** What a leaf column holds, or why it cannot be read. */
function leafPlan(e: SchemaElement, hint: ArrowHint | undefined): Omit<ColumnPlan, 'name'> | string {
  const lt = e.logical_type;
  const ct = e.converted_type;
  if (ct === 'DECIMAL' || lt?.type === 'DECIMAL') return { type: { id: 'float', bits: 64 }, decode: 'decimal', scale: e.scale ?? 0 };
  if (ct === 'DATE' || lt?.type === 'DATE') return { type: { id: 'timestamp', unit: 'ns', tz: null }, decode: 'plain' };
  if (lt?.type === 'TIMESTAMP' || ct === 'TIMESTAMP_MILLIS' || ct === 'TIMESTAMP_MICROS' || (e.type === 'INT96' && !ct)) {
    // pyarrow gives an instant column (isAdjustedToUTC) the zone its Arrow schema names, else UTC.
    const utc = lt?.type === 'TIMESTAMP' ? lt.isAdjustedToUTC : ct !== undefined;
    return { type: { id: 'timestamp', unit: 'ns', tz: hint?.tz ?? (utc ? 'UTC' : null) }, decode: 'plain' };
  }
  switch (e.type) {
    case 'DOUBLE':
      return { type: { id: 'float', bits: 64 }, decode: 'plain' };
    case 'FLOAT':
      return { type: { id: 'float', bits: 32 }, decode: 'plain' };
    case 'BOOLEAN':
      return { type: { id: 'bool' }, decode: 'plain' };
    case 'INT32':
    case 'INT64': {
      if (lt !== undefined && lt.type !== 'INTEGER') return `${e.type} annotated ${lt.type}`;
      if (ct !== undefined && !/^U?INT_/.test(ct)) return `${e.type} annotated ${ct}`;
      const t = integerType(e);
      return typeof t === 'string' ? t : { type: t, decode: 'plain' };
    }
    case 'BYTE_ARRAY':
      if (lt?.type === 'STRING' || lt?.type === 'JSON' || lt?.type === 'ENUM' || ct === 'UTF8' || ct === 'JSON' || ct === 'ENUM') {
        return { type: hint?.dictionary ? CATEGORY : { id: 'utf8' }, decode: 'plain' };
      }
      return 'binary data (BYTE_ARRAY without a string annotation)';
    default:
      return `${e.type ?? 'an untyped element'}${lt ? ` annotated ${lt.type}` : ''}`;
  }
}

/** Top-level columns in file order, each with its plan or the reason it cannot be read. */
export function columnPlans(meta: FileMetaData): [string, ColumnPlan | string][] {
  const hints = arrowHints(meta);
  const schema = meta.schema;
  const out: [string, ColumnPlan | string][] = [];
  // The schema is a flattened tree: the root, then each field followed by its descendants.
  const skip = (at: number): number => {
    let next = at + 1;
    for (let c = 0; c < (schema[at].num_children ?? 0); c++) next = skip(next);
    return next;
  };
  for (let i = 1; i < schema.length; i = skip(i)) {
    const e = schema[i];
    const nested = (e.num_children ?? 0) > 0 || e.repetition_type === 'REPEATED';
    const plan = nested ? { type: { id: 'utf8' } as TypeDesc, decode: 'nested' as const } : leafPlan(e, hints.get(e.name));
    out.push([e.name, typeof plan === 'string' ? plan : { name: e.name, ...plan }]);
  }
  return out;
}
