// Snappy raw-format decompression (a Parquet page's codec) from src[0, srcLen) into dst[0, dstLen),
// the length the page header gives. Returns the bytes written, or a negative error: -1 the stated
// length differs from dstLen, -2 the input ends inside an element, -3 a copy reaches before the
// output's start, -4 the output would overrun dstLen. The caller leaves 16 bytes of room after
// both areas: short literals and copies move 8 or 16 bytes at a time and may read or write past
// an element's end (the bytes past it are overwritten later or lie in that room).
//
// Parquet pages of floats compress poorly: most elements are literals and copies of 3 to 6 bytes,
// so the cost is per element, not per byte, and the loop is bound by the chain from one tag to
// the next tag's address (a load, then the element's size): stores and bounds checks are not
// on it (without any store the loop took as long). Copies of kinds 1 and 2 share one path with
// no branch between them (length, offset width and high offset bits are selected from the tag),
// as a branch on the kind was mispredicted for pages that mix 1- and 2-byte offsets.
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
        if (k > end - p) return -2;
        // The 1-4 length bytes, read as one word (the input has room after it) and masked.
        const v = load<u32>(p) & (<u32>-1 >>> ((4 - <u32>k) << 3));
        p += k;
        // Longer than any input (and len + 1 would wrap).
        if (v >= 0x7fffffff) return -2;
        len = <usize>v + 1;
      }
      // Compared as lengths, not as end addresses, which could wrap.
      if (len > end - p) return -2;
      if (len > outEnd - q) return -4;
      if (len <= 8) {
        store<u64>(q, load<u64>(p));
      } else if (len <= 16) {
        v128.store(q, v128.load(p));
      } else {
        memory.copy(q, p, len);
      }
      p += len;
      q += len;
      continue;
    }
    // Kind 1: 3 length bits, 3 high offset bits and 1 offset byte; kinds 2 and 3: 6 length bits
    // and a 2- or 4-byte offset. The offset bytes are read as one word and masked to their width.
    const one = kind == 1;
    // The next tag's address waits on this one through the offset's width: for kinds 1 and 2 it
    // is the kind itself (one addition after the mask), and kind 3 (offsets of 64 KiB or more,
    // which the reference compressor, working in 64 KiB fragments, never emits) takes a branch
    // that stays predicted. As a shift (1 << (kind - 1)) it cost two more steps per element:
    // 5% of the kernel's time on workload (a)'s pages.
    let width = <usize>kind;
    if (kind == 3) {
      if (<usize>4 > end - p) return -2;
      width = 4;
    } else if (width > end - p) return -2;
    const low = load<u32>(p) & (<u32>-1 >>> ((4 - <u32>width) << 3));
    p += width;
    const len = <usize>select<u32>(((tag >> 2) & 7) + 4, (tag >> 2) + 1, one);
    const off = <usize>select<u32>(((tag >> 5) << 8) | low, low, one);
    if (off - 1 >= q - out0) return -3;
    if (len > outEnd - q) return -4;
    let from = q - off;
    const stop = q + len;
    if (off >= 8) {
      // Most copies are at most 8 bytes: one 8-byte move (a wider load would more often span
      // several recent stores, which the processor cannot forward).
      store<u64>(q, load<u64>(from));
      if (len > 8) {
        let d = q + 8;
        from += 8;
        if (off >= 16) {
          while (d < stop) {
            v128.store(d, v128.load(from));
            d += 16;
            from += 16;
          }
        } else {
          while (d < stop) {
            store<u64>(d, load<u64>(from));
            d += 8;
            from += 8;
          }
        }
      }
    } else {
      // A pattern shorter than 8 bytes (a run): each 8-byte move doubles the distance between
      // source and destination until it reaches 8, after which moves of 8 do not overlap.
      let d = q;
      while (d - from < 8) {
        store<u64>(d, load<u64>(from));
        d += d - from;
        if (d >= stop) break;
      }
      while (d < stop) {
        store<u64>(d, load<u64>(from));
        d += 8;
        from += 8;
      }
    }
    q = stop;
  }
  return <i32>(q - out0) == dstLen ? dstLen : -4;
}
