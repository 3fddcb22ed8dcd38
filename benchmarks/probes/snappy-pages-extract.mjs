// The snappy pages (compressed, as stored) of workload (a)'s columns key, x and y of one Parquet
// file, written one after another as [u32 column][u32 compressed length][u32 length][bytes], for
// snappy-pages-bench.mjs: the kernel measured alone on real pages.
//   node benchmarks/probes/snappy-pages-extract.mjs /tmp/pdask-bench-engine-100000000/part-00.parquet /tmp/pages.bin
import fs from 'node:fs';
import { parquetMetadata } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
const [file, out] = process.argv.slice(2);
const buf = fs.readFileSync(file);
const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
const meta = parquetMetadata(ab);
const parts = [];
const cols = ['key', 'x', 'y'];
const stats = {};
for (const g of meta.row_groups) for (const c of g.columns) {
  const m = c.meta_data; const ci = cols.indexOf(m.path_in_schema[0]); if (ci < 0) continue;
  const from = Number(m.dictionary_page_offset || m.data_page_offset); const to = from + Number(m.total_compressed_size);
  const reader = { view: new DataView(ab, from, to - from), offset: 0 };
  while (reader.offset < to - from - 1) {
    const h = parquetHeader(reader);
    const raw = new Uint8Array(ab, from + reader.offset, h.compressed_page_size);
    reader.offset += h.compressed_page_size;
    if (m.codec !== 'SNAPPY') throw new Error(m.codec);
    const hd = Buffer.alloc(12); hd.writeUInt32LE(ci, 0); hd.writeUInt32LE(raw.length, 4); hd.writeUInt32LE(h.uncompressed_page_size, 8);
    parts.push(hd, Buffer.from(raw));
    const s = (stats[cols[ci] + ':' + h.type] ??= { pages: 0, comp: 0, un: 0 }); s.pages++; s.comp += raw.length; s.un += h.uncompressed_page_size;
  }
}
fs.writeFileSync(out, Buffer.concat(parts));
console.log(meta.row_groups.length, 'row groups', JSON.stringify(stats));
