// Snappy raw-format decompression (a Parquet page's codec) from src[0, srcLen) into dst[0, dstLen),
// the length the page header gives. Returns the bytes written, or a negative error: -1 the stated
// length differs from dstLen, -2 the input ends inside an element, -3 a copy reaches before the
// output's start, -4 the output would overrun dstLen. The caller leaves 16 bytes of room after
// both areas: short literals and copies move 8 or 16 bytes at a time and may read or write past
// an element's end (the bytes past it are overwritten later or lie in that room).
export function snappy_uncompress(src: usize, srcLen: i32, dst: usize, dstLen: i32): i32 {
  const end = src + <usize>srcLen;
  let p = src;
  // The uncompressed length, a varint of up to 5 bytes.
  let n: u32 = 0;
  let shift: u32 = 0;
  while (true) {
    if (p >= end || shift > 28) return -2;
    const b = <u32>load<u8>(p++);
    n |= (b & 0x7f) << shift;
    if (b < 0x80) break;
    shift += 7;
  }
  if (n != <u32>dstLen) return -1;
  const out0 = dst;
  const outEnd = dst + <usize>dstLen;
  let q = dst;
  while (p < end) {
    const tag = <u32>load<u8>(p++);
    const kind = tag & 3;
    if (kind == 0) {
      let len = <usize>(tag >> 2) + 1;
      if (len > 60) {
        const k = <usize>len - 60;
        if (p + k > end) return -2;
        let v: u32 = 0;
        for (let i: usize = 0; i < k; i++) v |= <u32>load<u8>(p + i) << (<u32>i * 8);
        p += k;
        len = <usize>v + 1;
      }
      if (p + len > end) return -2;
      if (q + len > outEnd) return -4;
      if (len <= 16) {
        v128.store(q, v128.load(p));
      } else {
        memory.copy(q, p, len);
      }
      p += len;
      q += len;
      continue;
    }
    let len: usize;
    let off: usize;
    if (kind == 1) {
      if (p >= end) return -2;
      len = <usize>((tag >> 2) & 7) + 4;
      off = (<usize>(tag >> 5) << 8) | <usize>load<u8>(p);
      p += 1;
    } else if (kind == 2) {
      if (p + 2 > end) return -2;
      len = <usize>(tag >> 2) + 1;
      off = <usize>load<u16>(p);
      p += 2;
    } else {
      if (p + 4 > end) return -2;
      len = <usize>(tag >> 2) + 1;
      off = <usize>load<u32>(p);
      p += 4;
    }
    if (off == 0 || off > q - out0) return -3;
    if (q + len > outEnd) return -4;
    let from = q - off;
    if (off >= 16) {
      // Non-overlapping in 16-byte steps (a copy is at most 64 bytes).
      let d = q;
      const stop = q + len;
      while (d < stop) {
        v128.store(d, v128.load(from));
        d += 16;
        from += 16;
      }
    } else if (off >= 8) {
      let d = q;
      const stop = q + len;
      while (d < stop) {
        store<u64>(d, load<u64>(from));
        d += 8;
        from += 8;
      }
    } else {
      for (let i: usize = 0; i < len; i++) store<u8>(q + i, load<u8>(from + i));
    }
    q += len;
  }
  return <i32>(q - out0) == dstLen ? dstLen : -4;
}
