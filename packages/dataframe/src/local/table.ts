/** Arrow tables from named vectors, in the given column order. */
import { RecordBatch, Schema, Table, type Vector } from 'apache-arrow';

export function tableOf(names: readonly string[], vectors: readonly Vector[]): Table {
  if (names.length === 0) return new Table();
  // Table's object form orders integer-like names first (JavaScript key order): build it under
  // placeholder names, then give the batches the real schema.
  const tmp = new Table(Object.fromEntries(vectors.map((v, i) => [`c${i}_`, v])));
  const schema = new Schema(tmp.schema.fields.map((f, i) => f.clone({ name: names[i] })));
  return new Table(schema, tmp.batches.map((b) => new RecordBatch(schema, b.data)));
}
