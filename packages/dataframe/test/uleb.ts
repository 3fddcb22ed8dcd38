/** An unsigned LEB128 varint (Parquet's and snappy's lengths), byte by byte as the formats define it. */
export function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let byte = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) byte |= 0x80;
    out.push(byte);
  } while (v > 0);
  return out;
}
