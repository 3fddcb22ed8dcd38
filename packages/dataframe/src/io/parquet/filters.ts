/**
 * readParquet's `filters` (Dask's `filters=[('x', '>', 5)]`): a list of predicates all of which
 * hold, or a list of such lists any of which holds. They prune hive partitions by their values and
 * row groups by their footer statistics before any data is read, then drop the rows that fail
 * them, as Dask's pyarrow engine does.
 */
import type { ColumnChunk, RowGroup } from 'hyparquet';
import type { TypeDesc } from '../../ops/types';

export type FilterOp = '=' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in';
/** A value to compare with: a number or bigint (numbers), string, boolean, or a Date (timestamps). */
export type FilterScalar = number | bigint | string | boolean | Date;
export type Filter = readonly [column: string, op: FilterOp, value: FilterScalar | readonly FilterScalar[]];
/** Predicates joined by AND, or a list of such lists joined by OR. */
export type Filters = readonly Filter[] | readonly (readonly Filter[])[];

/** A value in the domain of decoded cells: timestamps are bigint nanoseconds. */
export type Cell = number | bigint | string | boolean;

/** A checked predicate: `values` holds one value except for 'in' / 'not in'. */
export interface Clause {
  column: string;
  op: '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in';
  values: Cell[];
}

/** OR of ANDs. */
export type Predicate = Clause[][];

const OPS = new Set(['=', '==', '!=', '<', '<=', '>', '>=', 'in', 'not in']);

function cellOf(v: unknown, t: TypeDesc, where: string): Cell {
  const bad = (want: string) => new TypeError(`${where}: expected ${want}, got ${typeof v === 'bigint' ? `${v}n` : JSON.stringify(v) ?? String(v)}`);
  switch (t.id) {
    case 'int':
    case 'float':
      if ((typeof v === 'number' && !Number.isNaN(v)) || typeof v === 'bigint') return v;
      throw bad('a number or bigint');
    case 'bool':
      if (typeof v === 'boolean') return v;
      throw bad('a boolean');
    case 'utf8':
    case 'dict':
      if (typeof v === 'string') return v;
      throw bad('a string');
    case 'timestamp':
      if (v instanceof Date && !Number.isNaN(v.getTime())) return BigInt(v.getTime()) * 1_000_000n;
      if (typeof v === 'bigint') return v;
      throw bad('a Date or bigint nanoseconds since the epoch');
    default:
      throw bad(`nothing: a ${t.id} column cannot be filtered`);
  }
}

/** Checks Dask's two spellings and converts each value to its column's cell domain. */
export function parseFilters(fn: string, filters: unknown, typeOf: (column: string) => TypeDesc | undefined, known: readonly string[]): Predicate {
  if (!Array.isArray(filters) || filters.length === 0) throw new TypeError(`${fn}: filters must be a non-empty list of [column, op, value] or a list of such lists`);
  const nested = Array.isArray(filters[0]) && Array.isArray((filters[0] as unknown[])[0]);
  const branches = (nested ? filters : [filters]) as unknown[][];
  return branches.map((branch, b) => {
    if (!Array.isArray(branch) || branch.length === 0) throw new TypeError(`${fn}: filters[${b}] must be a non-empty list of [column, op, value]`);
    return branch.map((f, i): Clause => {
      const where = `${fn}: filter ${JSON.stringify(nested ? [b, i] : i)}`;
      if (!Array.isArray(f) || f.length !== 3 || typeof f[0] !== 'string' || typeof f[1] !== 'string') throw new TypeError(`${where} must be [column, op, value]`);
      const [column, op, value] = f as [string, string, unknown];
      if (!OPS.has(op)) throw new TypeError(`${where}: unknown operator '${op}'; known: ${[...OPS].map((o) => `'${o}'`).join(', ')}`);
      const t = typeOf(column);
      if (t === undefined) throw new Error(`${where}: no column '${column}'; known columns: ${known.map((k) => `'${k}'`).join(', ')}`);
      const list = op === 'in' || op === 'not in';
      if (list !== Array.isArray(value)) throw new TypeError(`${where}: '${op}' takes ${list ? 'a list of values' : 'one value'}`);
      const values = (list ? (value as unknown[]) : [value]).map((v) => cellOf(v, t, `${where} on '${column}'`));
      return { column, op: op === '=' ? '==' : (op as Clause['op']), values };
    });
  });
}

function eq(a: Cell, b: Cell): boolean {
  if (typeof a === typeof b) return a === b;
  if (typeof a === 'bigint' && typeof b === 'number') return Number.isInteger(b) && a === BigInt(b);
  if (typeof b === 'bigint' && typeof a === 'number') return Number.isInteger(a) && b === BigInt(a);
  return false;
}
// Mixed number/bigint compare by value in JS; the types of a column's cells and values agree otherwise.
const lt = (a: Cell, b: Cell): boolean => a < b;

/** Whether a cell satisfies a clause (a missing cell satisfies none, as a null comparison in pyarrow). */
export function holds(c: Clause, x: Cell | null | undefined): boolean {
  if (x === null || x === undefined || (typeof x === 'number' && Number.isNaN(x))) return false;
  const v = c.values[0];
  switch (c.op) {
    case '==':
      return eq(x, v);
    case '!=':
      return !eq(x, v);
    case '<':
      return lt(x, v);
    case '<=':
      return lt(x, v) || eq(x, v);
    case '>':
      return lt(v, x);
    case '>=':
      return lt(v, x) || eq(x, v);
    case 'in':
      return c.values.some((w) => eq(x, w));
    case 'not in':
      return !c.values.some((w) => eq(x, w));
  }
}

/** What the statistics of a column chunk say: bounds (when known exactly) and whether it is all null. */
export interface Bounds {
  min?: Cell;
  max?: Cell;
  allNull: boolean;
}

/** Whether some row with values in `b` could satisfy the clause. */
export function mayHold(c: Clause, b: Bounds): boolean {
  if (b.allNull) return false;
  const { min, max } = b;
  const inRange = (v: Cell) => (min === undefined || !lt(v, min)) && (max === undefined || !lt(max, v));
  const single = min !== undefined && max !== undefined && eq(min, max);
  switch (c.op) {
    case '==':
      return inRange(c.values[0]);
    case 'in':
      return c.values.some(inRange);
    case '!=':
      return !(single && eq(min, c.values[0]));
    case 'not in':
      return !(single && c.values.some((w) => eq(min, w)));
    case '<':
      return min === undefined || lt(min, c.values[0]);
    case '<=':
      return min === undefined || !lt(c.values[0], min);
    case '>':
      return max === undefined || lt(c.values[0], max);
    case '>=':
      return max === undefined || !lt(max, c.values[0]);
  }
}

/** The columns a predicate reads. */
export const filterColumns = (p: Predicate): string[] => [...new Set(p.flat().map((c) => c.column))];

/**
 * Whether a row group may hold matching rows: some branch none of whose clauses is ruled out by a
 * hive value of the file (`fixed`) or the group's statistics (`bounds`).
 */
export function groupMayMatch(p: Predicate, fixed: ReadonlyMap<string, Cell | null>, bounds: (column: string) => Bounds | undefined): boolean {
  return p.some((branch) =>
    branch.every((c) => {
      if (fixed.has(c.column)) return holds(c, fixed.get(c.column));
      const b = bounds(c.column);
      return b === undefined || mayHold(c, b);
    }),
  );
}

/** The chunk of a top-level leaf column in a row group. */
export const chunkOf = (g: RowGroup, column: string): ColumnChunk | undefined => g.columns.find((c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === column);
