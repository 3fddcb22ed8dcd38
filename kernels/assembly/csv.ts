// readCsv's block reader in one pass (pdask/dataframe's fused path): splits the unquoted fields of
// a block of CSV bytes and converts the kept ones at once, as their bytes are met. Per field, kinds
// (u8 each) says what to do: 0 skip, 1 float64, 2 int32, 3 string (its
// bytes copied out: an Arrow Utf8 column), 4 naive timestamp (int64 nanoseconds). outs (one i32
// pointer per field) gives each kept field's output area of `cap` rows (strings: offsets, cap + 1
// i32 starting with 0; a flag i32 set to 1 when a byte >= 0x80 was copied; the room for bytes
// (i32); then that room). A string field that is empty or whose first byte is marked in `nulls` (256 bytes) is
// listed for the host, which knows the missing-value texts.
//
// Only the plain spellings are converted here: [+-]digits[.digits][(e|E)[+-]digits] with at most 15
// significant digits (exact in one multiplication or division by a power of ten, as the host's
// plainNumber), integers [+-]digits for int32, and 'YYYY-MM-DD', 'YYYY-MM-DD[ T]HH:MM:SS[.f{1,9}]'
// times of the years datetime64[ns] holds. Any other field of a converted column is listed in `fb`
// (row, field, start, end: four i32 each) for the host to read by its general rules.
//
// A call reads lines until the block ends (returns 1) or `rowLimit` rows are done (returns 0: call
// again to go on; the host calls in steps so that V8 tiers the kernel up to optimised code early in
// a block rather than after it). st (i32) holds the fallback count, the byte offset reached, the
// line-end kind (-1 none yet, 0 LF, 1 CRLF) and the rows done: zero them before a block's first
// call. Other returns: -1 when the block is not one this pass reads (a quote, a line with another
// number of fields, a bare CR, LF and CRLF mixed: the host's other paths read or report it), -2 when
// the rows outgrow cap, -3 when the fallback list outgrows fbCap, -4 when a string column's bytes
// outgrow their room.

const NL: u8 = 10;
const CR: u8 = 13;

// @ts-ignore: decorator
@lazy const POW10: StaticArray<f64> = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
// @ts-ignore: decorator
@lazy const DAYS_IN_MONTH: StaticArray<i32> = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

// @ts-ignore: decorator
@inline function isDigit(c: u32): bool {
  return c - 48 <= 9;
}

// @ts-ignore: decorator
@inline function two(p: usize): i32 {
  return (<i32>load<u8>(p) - 48) * 10 + <i32>load<u8>(p, 1) - 48;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
function daysFromCivil(y: i64, m: i64, d: i64): i64 {
  y -= m <= 2 ? 1 : 0;
  const era = (y >= 0 ? y : y - 399) / 400;
  const yoe = y - era * 400;
  const doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// The last date read (its 10 bytes as two words) and its midnight in ns: rows usually share it.
let lastDateA: u64 = 0;
let lastDateB: u16 = 0;
let lastValid: bool = false;
let lastMidnight: i64 = 0;

/** The time at [s, e) in ns into *out; false when it is not one of the plain spellings. */
function plainTime(s: usize, e: usize, out: usize): bool {
  const len = <i32>(e - s);
  if (len != 10 && len != 19 && (len < 21 || len > 29)) return false;
  const a = load<u64>(s);
  const b = load<u16>(s, 8);
  if (!(lastValid && a == lastDateA && b == lastDateB)) {
    if (load<u8>(s, 4) != 45 || load<u8>(s, 7) != 45) return false;
    if (!isDigit(load<u8>(s)) || !isDigit(load<u8>(s, 1)) || !isDigit(load<u8>(s, 2)) || !isDigit(load<u8>(s, 3))) return false;
    if (!isDigit(load<u8>(s, 5)) || !isDigit(load<u8>(s, 6)) || !isDigit(load<u8>(s, 8)) || !isDigit(load<u8>(s, 9))) return false;
    const y = two(s) * 100 + two(s + 2);
    const mo = two(s + 5);
    const d = two(s + 8);
    if (y < 1678 || y > 2261 || mo < 1 || mo > 12 || d < 1) return false;
    const leap = mo == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    if (d > unchecked(DAYS_IN_MONTH[mo - 1]) + (leap ? 1 : 0)) return false;
    lastDateA = a;
    lastDateB = b;
    lastValid = true;
    lastMidnight = daysFromCivil(y, mo, d) * 86400_000_000_000;
  }
  let ns: i64 = 0;
  if (len > 10) {
    const sep = load<u8>(s, 10);
    if ((sep != 32 && sep != 84) || load<u8>(s, 13) != 58 || load<u8>(s, 16) != 58) return false;
    if (!isDigit(load<u8>(s, 11)) || !isDigit(load<u8>(s, 12)) || !isDigit(load<u8>(s, 14)) || !isDigit(load<u8>(s, 15)) || !isDigit(load<u8>(s, 17)) || !isDigit(load<u8>(s, 18))) return false;
    const h = two(s + 11);
    const mi = two(s + 14);
    const sec = two(s + 17);
    if (h > 23 || mi > 59 || sec > 59) return false;
    ns = (<i64>(h * 3600 + mi * 60 + sec)) * 1_000_000_000;
    if (len > 19) {
      const c = load<u8>(s, 19);
      if (c != 46 && c != 44) return false;
      let frac: i64 = 0;
      for (let k = s + 20; k < e; k++) {
        const d = <u32>load<u8>(k);
        if (!isDigit(d)) return false;
        frac = frac * 10 + <i64>(d - 48);
      }
      for (let k = len; k < 29; k++) frac *= 10;
      ns += frac;
    }
  }
  store<i64>(out, lastMidnight + ns);
  return true;
}

export function csv_fused(buf: usize, len: i32, nfields: i32, kinds: usize, outs: usize, cap: i32, sep: i32, quote: i32, fb: usize, fbCap: i32, st: usize, rowLimit: i32, nulls: usize): i32 {
  const end = buf + <usize>len;
  const sepb = <u32>sep;
  const q = <u32>quote;
  let hi = sepb > q ? sepb : q;
  if (hi < CR) hi = CR;
  // Resumed where the previous call stopped (st: fallback count, byte offset, line-end kind, row).
  let nfb = load<i32>(st);
  let pos = buf + <usize>load<i32>(st, 4);
  let crlf = load<i32>(st, 8);
  let row = load<i32>(st, 12);
  if (pos == buf) lastValid = false;
  while (pos < end) {
    if (row >= rowLimit) {
      store<i32>(st, nfb);
      store<i32>(st, <i32>(pos - buf), 4);
      store<i32>(st, crlf, 8);
      store<i32>(st, row, 12);
      return 0;
    }
    let c = <u32>load<u8>(pos);
    if (c == NL) {
      if (crlf == 1) return -1;
      crlf = 0;
      pos++;
      continue;
    }
    if (c == CR) {
      if (pos + 1 < end && load<u8>(pos, 1) == NL && crlf != 0) {
        crlf = 1;
        pos += 2;
        continue;
      }
      return -1;
    }
    if (row >= cap) return -2;
    for (let field = 0; ; field++) {
      const s = pos;
      if (pos < end && <u32>load<u8>(pos) == q) return -1;
      const k = <i32>load<u8>(kinds + <usize>field);
      let plain = true;
      if (k == 1 || k == 2) {
        let i = s;
        let neg = false;
        if (i < end) {
          const c0 = load<u8>(i);
          if (c0 == 45 || c0 == 43) {
            neg = c0 == 45;
            i++;
          }
        }
        let mant: i64 = 0;
        let digits = 0;
        let nd = 0;
        let frac = 0;
        let sawDot = false;
        for (; i < end; i++) {
          const ch = <u32>load<u8>(i);
          const d = ch - 48;
          if (d <= 9) {
            nd++;
            if (mant != 0 || d != 0) digits++;
            mant = mant * 10 + <i64>d;
            if (sawDot) frac++;
          } else if (ch == 46 && !sawDot && k == 1) sawDot = true;
          else break;
        }
        let ok = nd > 0 && digits <= 15;
        // Past int32's range: the host's rules refuse it with the line (an int32 store would wrap).
        if (k == 2 && (neg ? mant > 2147483648 : mant > 2147483647)) ok = false;
        let exp = 0;
        if (ok && k == 1 && i < end && (load<u8>(i) == 101 || load<u8>(i) == 69)) {
          i++;
          let eneg = false;
          if (i < end) {
            const c1 = load<u8>(i);
            if (c1 == 45 || c1 == 43) {
              eneg = c1 == 45;
              i++;
            }
          }
          const e0 = i;
          for (; i < end; i++) {
            const d = <u32>load<u8>(i) - 48;
            if (d > 9) break;
            if (exp <= 1000) exp = exp * 10 + <i32>d;
          }
          if (i == e0 || exp > 1000) ok = false;
          if (eneg) exp = -exp;
        }
        const b = i < end ? <u32>load<u8>(i) : NL;
        if (ok && (b == sepb || b == NL || b == CR)) {
          exp -= frac;
          let x: f64;
          const m = <f64>mant;
          if (exp == 0) x = m;
          else if (exp > 0 && exp <= 22) x = m * unchecked(POW10[exp]);
          else if (exp < 0 && exp >= -22) x = m / unchecked(POW10[-exp]);
          else if (mant == 0) x = 0;
          else x = NaN;
          if (x == x) {
            if (neg) x = -x;
            const o = <usize>load<i32>(outs + (<usize>field << 2));
            if (k == 1) store<f64>(o + (<usize>row << 3), x);
            else store<i32>(o + (<usize>row << 2), <i32>(neg ? -mant : mant));
          } else plain = false;
          pos = i;
        } else {
          plain = false;
          pos = i;
        }
        if (!plain) {
          while (pos < end) {
            const ch = <u32>load<u8>(pos);
            if (ch > hi || (ch != sepb && ch != NL && ch != CR && ch != q)) pos++;
            else break;
          }
        }
      } else {
        while (pos < end) {
          const ch = <u32>load<u8>(pos);
          if (ch > hi || (ch != sepb && ch != NL && ch != CR && ch != q)) pos++;
          else break;
        }
        if (k == 3) {
          // offsets (cap + 1 i32), the OR of every byte (i32), then the bytes.
          const o = <usize>load<i32>(outs + (<usize>field << 2));
          const off = o + (<usize>row << 2);
          const d0 = load<i32>(off);
          const n = <i32>(pos - s);
          if (d0 + n > load<i32>(o + (<usize>(cap + 2) << 2))) return -4;
          const dst = o + (<usize>(cap + 3) << 2) + <usize>d0;
          let acc: u32 = 0;
          for (let t = 0; t < n; t++) {
            const ch = load<u8>(s + <usize>t);
            acc |= ch;
            store<u8>(dst + <usize>t, ch);
          }
          if (acc & 0x80) store<i32>(o + (<usize>(cap + 1) << 2), 1);
          store<i32>(off + 4, d0 + n);
          // A field that may be a missing-value text (by its first byte, or empty) is checked by the host.
          if (n == 0 || load<u8>(nulls + <usize>load<u8>(s)) != 0) plain = false;
        } else if (k == 4) {
          const o = <usize>load<i32>(outs + (<usize>field << 2)) + (<usize>row << 3);
          if (!plainTime(s, pos, o)) plain = false;
        }
      }
      if (pos < end && <u32>load<u8>(pos) == q) return -1;
      if (!plain) {
        if (nfb >= fbCap) return -3;
        const f = fb + (<usize>nfb << 4);
        store<i32>(f, row);
        store<i32>(f, field, 4);
        store<i32>(f, <i32>(s - buf), 8);
        store<i32>(f, <i32>(pos - buf), 12);
        nfb++;
      }
      if (field == nfields - 1) {
        if (pos >= end) break;
        c = <u32>load<u8>(pos);
        if (c == NL) {
          if (crlf == 1) return -1;
          crlf = 0;
          pos++;
          break;
        }
        if (c == CR && pos + 1 < end && load<u8>(pos, 1) == NL && crlf != 0) {
          crlf = 1;
          pos += 2;
          break;
        }
        return -1;
      }
      if (pos >= end || <u32>load<u8>(pos) != sepb) return -1;
      pos++;
    }
    row++;
  }
  store<i32>(st, nfb);
  store<i32>(st, <i32>(pos - buf), 4);
  store<i32>(st, crlf, 8);
  store<i32>(st, row, 12);
  return 1;
}
