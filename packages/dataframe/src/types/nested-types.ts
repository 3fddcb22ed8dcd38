/**
 * Lists and structs (read from Parquet): Arrow List and Struct columns whose values compute to JS
 * arrays and plain objects. pandas holds them as Python lists and dicts in an `object` column, so
 * that is their dtype name. They are carried and selected, not computed on.
 */
import { DataType, Field, List, Struct, type Vector } from 'apache-arrow';

/** A list's values have one type; a struct has named fields, in order. */
export type NestedDesc<T> = { readonly id: 'list'; readonly value: T } | { readonly id: 'struct'; readonly fields: readonly { readonly name: string; readonly type: T }[] };

/** The Arrow type of a list or struct description, its parts made by `inner`. */
export function nestedArrowType<T>(d: NestedDesc<T>, inner: (t: T) => DataType): DataType {
  if (d.id === 'list') return new List(new Field('item', inner(d.value), true));
  return new Struct(d.fields.map((f) => new Field(f.name, inner(f.type), true)));
}

/** The description of an Arrow List or Struct; undefined for other types. */
export function describeNestedType<T>(t: DataType, inner: (t: DataType) => T): NestedDesc<T> | undefined {
  if (DataType.isList(t)) return { id: 'list', value: inner(t.children[0].type as DataType) };
  if (DataType.isStruct(t)) return { id: 'struct', fields: t.children.map((f) => ({ name: f.name, type: inner(f.type as DataType) })) };
  return undefined;
}

/** A value of a list or struct column: arrays and objects of cells, null where missing. */
export type NestedCell<C> = readonly (C | NestedCell<C>)[] | { readonly [field: string]: C | NestedCell<C> };

/**
 * Row i of a List or Struct vector as JS values (nulls kept at every level); `cell` reads the
 * leaves (it knows times and 64-bit integers). Arrow's own get gives a Vector or a row proxy.
 */
export function nestedCell(v: Vector, i: number, cell: (v: Vector, i: number) => unknown): unknown {
  if (!v.isValid(i)) return null;
  const t = v.type as DataType;
  if (DataType.isList(t)) {
    const items = v.get(i) as Vector;
    return Array.from({ length: items.length }, (_, j) => cell(items, j));
  }
  // A struct row: each field's child vector at the same row.
  const out: Record<string, unknown> = {};
  (t as Struct).children.forEach((f, k) => {
    out[f.name] = cell(v.getChildAt(k) as Vector, i);
  });
  return out;
}
