/**
 * Parquet column types and pdask's dtypes, as pandas 1.5 gets them through pyarrow, with the
 * departures the README lists: dates become datetime64[ns] (pandas: objects), decimals float64
 * (pandas: Decimal objects). Lists and structs become Arrow List and Struct columns (dtype
 * 'object', as pandas shows its columns of Python lists and dicts) whose values are JS arrays and
 * objects.
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
  /** How a nested column's values map to JS values (decode 'nested'). */
  nested?: NestedPlan;
}

/** The shape of a list or struct column, down to leaves that need converting (decimals). */
export type NestedPlan =
  | { kind: 'leaf'; decimalScale?: number }
  | { kind: 'list'; item: NestedPlan }
  | { kind: 'struct'; fields: [string, NestedPlan][] };

/** A node of the schema tree (the flattened schema with its children). */
interface Node {
  e: SchemaElement;
  children: Node[];
}

/** The schema's top-level fields as trees. */
function schemaTree(schema: readonly SchemaElement[]): Node[] {
  let at = 1;
  const node = (): Node => {
    const e = schema[at++];
    const children: Node[] = [];
    for (let c = 0; c < (e.num_children ?? 0); c++) children.push(node());
    return { e, children };
  };
  const out: Node[] = [];
  for (let c = 0; c < (schema[0]?.num_children ?? 0); c++) out.push(node());
  return out;
}

/**
 * The dtype and value plan of a nested field, or why it cannot be read. The shapes are those
 * hyparquet assembles into arrays and objects: a LIST-annotated group over one repeated child
 * (three-level, or two-level with a repeated leaf), a bare repeated field, and plain groups
 * (structs). `item` is true for a list's element, whose repetition the list already took.
 */
function nestedPlan(n: Node, item = false): { type: TypeDesc; plan: NestedPlan } | string {
  const e = n.e;
  if (e.converted_type === 'MAP' || e.converted_type === 'MAP_KEY_VALUE' || e.logical_type?.type === 'MAP') return `a map (MAP '${e.name}')`;
  if (e.repetition_type === 'REPEATED' && !item) {
    const inner = nestedPlan(n, true);
    return typeof inner === 'string' ? inner : { type: { id: 'list', value: inner.type }, plan: { kind: 'list', item: inner.plan } };
  }
  if (e.converted_type === 'LIST') {
    const rep = n.children[0];
    if (n.children.length !== 1 || rep.e.repetition_type !== 'REPEATED' || rep.children.length > 1) return `a list of an unsupported layout ('${e.name}')`;
    const inner = nestedPlan(rep.children.length === 1 ? rep.children[0] : rep, true);
    return typeof inner === 'string' ? inner : { type: { id: 'list', value: inner.type }, plan: { kind: 'list', item: inner.plan } };
  }
  if (n.children.length > 0) {
    const fields: { name: string; type: TypeDesc }[] = [];
    const plans: [string, NestedPlan][] = [];
    for (const c of n.children) {
      const f = nestedPlan(c);
      if (typeof f === 'string') return f;
      fields.push({ name: c.e.name, type: f.type });
      plans.push([c.e.name, f.plan]);
    }
    return { type: { id: 'struct', fields }, plan: { kind: 'struct', fields: plans } };
  }
  const leaf = leafPlan(e, undefined);
  if (typeof leaf === 'string') return `${leaf} (in a nested field '${e.name}')`;
  return { type: leaf.type, plan: leaf.decode === 'decimal' ? { kind: 'leaf', decimalScale: leaf.scale ?? 0 } : { kind: 'leaf' } };
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
  return schemaTree(meta.schema).map((n): [string, ColumnPlan | string] => {
    const e = n.e;
    if (n.children.length > 0 || e.repetition_type === 'REPEATED') {
      const p = nestedPlan(n);
      return [e.name, typeof p === 'string' ? p : { name: e.name, type: p.type, decode: 'nested', nested: p.plan }];
    }
    const plan = leafPlan(e, hints.get(e.name));
    return [e.name, typeof plan === 'string' ? plan : { name: e.name, ...plan }];
  });
}
