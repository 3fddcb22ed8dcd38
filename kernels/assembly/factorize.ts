// Factorisation: values -> dense codes (first-appearance order) + uniques, with an open-addressing
// hash table (linear probing, power-of-two capacity, 8-byte slots [key or hash, code + 1], 0 = empty).
// The host owns every buffer and keeps the table at most half full: a kernel stops and returns the
// number of rows it finished when the uniques reach `limit`, so the host can grow the table
// (rehashing from the uniques) and call again for the remaining rows. Null rows (validity bit 0)
// get code -1 and do not enter the table. The same table persists across calls, which is what lets a
// column be factorised batch by batch as Arrow data arrive.

// @ts-ignore: decorator
@inline function isValid(valid: usize, bit: i32): bool {
  return valid == 0 || ((load<u8>(valid + (<usize>bit >> 3)) >> (<u8>bit & 7)) & 1) != 0;
}

// @ts-ignore: decorator
@inline function hashI32(k: i32, bits: i32): u32 {
  // Fibonacci hashing: the top bits of k * 2^32/phi spread consecutive keys across the table.
  return (<u32>k * 0x9E3779B1) >>> (32 - bits);
}

/** st: i32 [number of uniques]. Returns rows processed. */
export function fact_i32(keys: usize, n: i32, valid: usize, vbit: i32, table: usize, bits: i32,
  uniques: usize, limit: i32, st: usize, codes: usize): i32 {
  let nu = load<i32>(st);
  const mask: u32 = (1 << bits) - 1;
  let i = 0;
  for (; i < n; i++) {
    if (!isValid(valid, vbit + i)) { store<i32>(codes + (<usize>i << 2), -1); continue; }
    if (nu >= limit) break;
    const k = load<i32>(keys + (<usize>i << 2));
    let h = hashI32(k, bits);
    let code: i32 = 0;
    while (true) {
      const s = table + (<usize>h << 3);
      const g = load<i32>(s, 4);
      if (g == 0) {
        store<i32>(s, k);
        store<i32>(s, nu + 1, 4);
        store<i32>(uniques + (<usize>nu << 2), k);
        code = nu++;
        break;
      }
      if (load<i32>(s) == k) { code = g - 1; break; }
      h = (h + 1) & mask;
    }
    store<i32>(codes + (<usize>i << 2), code);
  }
  store<i32>(st, nu);
  return i;
}

/** Rebuilds a zeroed table of 2^bits slots from the first nu uniques. */
export function rehash_i32(uniques: usize, nu: i32, table: usize, bits: i32): void {
  const mask: u32 = (1 << bits) - 1;
  for (let j = 0; j < nu; j++) {
    const k = load<i32>(uniques + (<usize>j << 2));
    let h = hashI32(k, bits);
    while (load<i32>(table + (<usize>h << 3), 4) != 0) h = (h + 1) & mask;
    store<i32>(table + (<usize>h << 3), k);
    store<i32>(table + (<usize>h << 3), j + 1, 4);
  }
}

// @ts-ignore: decorator
@inline function mix(h: u32): u32 {
  h ^= h >>> 16; h *= 0x85EBCA6B; h ^= h >>> 13; h *= 0xC2B2AE35; h ^= h >>> 16;
  return h;
}

/** A 32-bit hash of len bytes at p, four bytes per step. */
export function hashBytes(p: usize, len: i32): u32 {
  let h: u32 = 0x9747B28C ^ <u32>len;
  let i = 0;
  for (; i + 4 <= len; i += 4) {
    let w = load<u32>(p + <usize>i) * 0xCC9E2D51;
    w = rotl<u32>(w, 15) * 0x1B873593;
    h = rotl<u32>(h ^ w, 13) * 5 + 0xE6546B64;
  }
  let w: u32 = 0;
  for (let s: u32 = 0; i < len; i++, s += 8) w |= <u32>load<u8>(p + <usize>i) << s;
  h ^= rotl<u32>(w * 0xCC9E2D51, 15) * 0x1B873593;
  return mix(h);
}

/**
 * Factorises UTF-8 strings given as Arrow offsets (n + 1 i32 at offs) into bytes at data.
 * Uniques are copied into an arena (uoffs: nu + 1 offsets, udata: bytes, uhash: hashes) so that
 * later batches compare against them after their own buffers are gone.
 * st: i32 [number of uniques, arena bytes used]. Returns rows processed (less than n when the
 * uniques reach limit or the arena lacks room for the next string).
 */
export function fact_utf8(offs: usize, data: usize, n: i32, valid: usize, vbit: i32, table: usize, bits: i32,
  uoffs: usize, udata: usize, ucap: i32, uhash: usize, limit: i32, st: usize, codes: usize): i32 {
  let nu = load<i32>(st);
  let used = load<i32>(st, 4);
  const mask: u32 = (1 << bits) - 1;
  let i = 0;
  for (; i < n; i++) {
    if (!isValid(valid, vbit + i)) { store<i32>(codes + (<usize>i << 2), -1); continue; }
    const a = load<i32>(offs + (<usize>i << 2));
    const len = load<i32>(offs + (<usize>i << 2), 4) - a;
    const p = data + <usize>a;
    const hv = hashBytes(p, len);
    let h = hv & mask;
    let code = -1;
    while (true) {
      const s = table + (<usize>h << 3);
      const g = load<i32>(s, 4);
      if (g == 0) break;
      if (load<u32>(s) == hv) {
        const u = uoffs + (<usize>(g - 1) << 2);
        const ua = load<i32>(u);
        if (load<i32>(u, 4) - ua == len && memory.compare(udata + <usize>ua, p, <usize>len) == 0) { code = g - 1; break; }
      }
      h = (h + 1) & mask;
    }
    if (code < 0) {
      if (nu >= limit || used + len > ucap) break;
      const s = table + (<usize>h << 3);
      store<u32>(s, hv);
      store<i32>(s, nu + 1, 4);
      memory.copy(udata + <usize>used, p, <usize>len);
      used += len;
      store<i32>(uoffs + (<usize>(nu + 1) << 2), used);
      store<u32>(uhash + (<usize>nu << 2), hv);
      code = nu++;
    }
    store<i32>(codes + (<usize>i << 2), code);
  }
  store<i32>(st, nu);
  store<i32>(st, used, 4);
  return i;
}

/** Rebuilds a zeroed string table of 2^bits slots from the stored hashes of nu uniques. */
export function rehash_utf8(uhash: usize, nu: i32, table: usize, bits: i32): void {
  const mask: u32 = (1 << bits) - 1;
  for (let j = 0; j < nu; j++) {
    const hv = load<u32>(uhash + (<usize>j << 2));
    let h = hv & mask;
    while (load<i32>(table + (<usize>h << 3), 4) != 0) h = (h + 1) & mask;
    store<u32>(table + (<usize>h << 3), hv);
    store<i32>(table + (<usize>h << 3), j + 1, 4);
  }
}
