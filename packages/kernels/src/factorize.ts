/**
 * Factorisation (values -> dense codes in first-appearance order + uniques), incremental so that a
 * column arriving as Arrow record batches gets the same code for the same value in every batch.
 * The hash tables live in kernel memory and are released by `dispose()`.
 */
import { isArrowVector, isValidAt, validityOf, type ArrowDataLike, type ArrowVectorLike, type IntegerArray } from './arrow.js';
import { forBlocks, maxBlock, resolve, type Input, type Runtime } from './runtime.js';

const MIN_BITS = 10;

/** A validity bitmap plus the bit of row 0 (Arrow's layout: bit set = valid). */
export interface Validity {
  bitmap: Uint8Array;
  bit: number;
}

/** Copies the bitmap bytes covering rows [start, start + n) into kernel memory; returns ptr and bit. */
function stageValidity(rt: Runtime, v: Validity | undefined, start: number, n: number): { ptr: number; bit: number; free: () => void } {
  if (!v) return { ptr: 0, bit: 0, free: () => {} };
  const first = v.bit + start;
  const byte0 = first >> 3;
  const byte1 = (first + n + 7) >> 3;
  const ptr = rt.mem.alloc(byte1 - byte0);
  rt.mem.u8(ptr, byte1 - byte0).set(v.bitmap.subarray(byte0, byte1));
  return { ptr, bit: first & 7, free: () => rt.mem.release(ptr) };
}

export class Int32Factorizer {
  private bits = MIN_BITS;
  private table: number;
  private uniquesPtr: number;
  private nu = 0;
  private disposed = false;

  constructor(private readonly rt: Runtime) {
    this.table = this.newTable(this.bits);
    this.uniquesPtr = rt.mem.alloc(this.limit * 4);
  }

  /** Half the table: past this load factor linear probing slows down sharply. */
  private get limit(): number {
    return 1 << (this.bits - 1);
  }

  get size(): number {
    return this.nu;
  }

  /** Codes of `values` (-1 where `validity` marks a null); new values extend the uniques. */
  add(values: Input<Int32Array> | ArrowVectorLike, validity?: Validity): Int32Array {
    this.check();
    if (isArrowVector(values)) return concatCodes(values.data.map((d) => this.add(asInt32(d), validityOf(d))));
    const x = resolve(values);
    const out = new Int32Array(x.length);
    const { rt } = this;
    const codesPtr = rt.mem.alloc(Math.min(x.length, maxBlock(rt, 4)) * 4);
    try {
      forBlocks(rt, x, (p, n, start) => {
        const v = stageValidity(rt, validity, start, n);
        let done = 0;
        while (done < n) {
          const st = rt.mem.i32(rt.mem.state, 2);
          st[0] = this.nu;
          const r = rt.x.fact_i32(p + done * 4, n - done, v.ptr, v.bit + done, this.table, this.bits, this.uniquesPtr, this.limit, rt.mem.state, codesPtr + done * 4);
          this.nu = rt.mem.i32(rt.mem.state, 1)[0];
          done += r;
          if (done < n) this.grow();
        }
        v.free();
        out.set(rt.mem.i32(codesPtr, n), start);
      });
    } finally {
      rt.mem.release(codesPtr);
    }
    return out;
  }

  /** The distinct values in order of first appearance (a copy). */
  uniques(): Int32Array {
    this.check();
    return this.rt.mem.i32(this.uniquesPtr, this.nu).slice();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.rt.mem.release(this.table);
    this.rt.mem.release(this.uniquesPtr);
  }

  private newTable(bits: number): number {
    const bytes = 8 << bits;
    const t = this.rt.mem.alloc(bytes);
    this.rt.mem.u8(t, bytes).fill(0);
    return t;
  }

  private grow(): void {
    const { rt } = this;
    this.bits++;
    rt.mem.release(this.table);
    this.table = this.newTable(this.bits);
    rt.x.rehash_i32(this.uniquesPtr, this.nu, this.table, this.bits);
    const u = rt.mem.alloc(this.limit * 4);
    rt.mem.i32(u, this.nu).set(rt.mem.i32(this.uniquesPtr, this.nu));
    rt.mem.release(this.uniquesPtr);
    this.uniquesPtr = u;
  }

  private check(): void {
    if (this.disposed) throw new Error('factorizer used after dispose()');
  }
}

function asInt32(d: ArrowDataLike): Int32Array {
  if (!(d.values instanceof Int32Array)) throw new TypeError('expected an Arrow Int32 vector');
  return d.values.length === d.length ? d.values : d.values.subarray(0, d.length);
}

function concatCodes(parts: Int32Array[]): Int32Array {
  if (parts.length === 1) return parts[0];
  const out = new Int32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Strings: JS arrays of strings (null/undefined are nulls), Arrow Utf8 or dictionary vectors. */
export type StringColumn = readonly (string | null | undefined)[] | ArrowVectorLike;

export class Utf8Factorizer {
  private bits = MIN_BITS;
  private table: number;
  private uoffs: number; // limit + 1 offsets into the arena
  private uhash: number; // limit hashes
  private arena: number;
  private arenaCap = 1 << 16;
  private nu = 0;
  private used = 0;
  private disposed = false;
  private readonly dictionaries = new WeakMap<object, Int32Array>();
  private readonly encoder = new TextEncoder();

  constructor(private readonly rt: Runtime) {
    this.table = this.newTable(this.bits);
    this.uoffs = rt.mem.alloc((this.limit + 1) * 4);
    rt.mem.i32(this.uoffs, 1)[0] = 0;
    this.uhash = rt.mem.alloc(this.limit * 4);
    this.arena = rt.mem.alloc(this.arenaCap);
  }

  private get limit(): number {
    return 1 << (this.bits - 1);
  }

  get size(): number {
    return this.nu;
  }

  add(values: StringColumn): Int32Array {
    this.check();
    if (isArrowVector(values)) return concatCodes(values.data.map((d) => this.addData(d)));
    // Encode JS strings into one Arrow-style buffer (offsets + UTF-8 bytes, validity for nulls).
    const n = values.length;
    const offsets = new Int32Array(n + 1);
    const bitmap = new Uint8Array((n + 7) >> 3);
    const parts: Uint8Array[] = [];
    let total = 0;
    for (let i = 0; i < n; i++) {
      const s = values[i];
      if (s != null) {
        const b = this.encoder.encode(s);
        parts.push(b);
        total += b.length;
        bitmap[i >> 3] |= 1 << (i & 7);
      }
      offsets[i + 1] = total;
    }
    const bytes = new Uint8Array(total);
    let o = 0;
    for (const p of parts) {
      bytes.set(p, o);
      o += p.length;
    }
    return this.addUtf8(offsets, bytes, { bitmap, bit: 0 });
  }

  private addData(d: ArrowDataLike): Int32Array {
    // Dictionaries are looked up by identity; nulls inside a dictionary are not supported.
    if (d.dictionary) return this.addDictionary(d, d.dictionary);
    const u = utf8Of(d);
    return this.addUtf8(u.offsets, u.bytes, validityOf(d));
  }

  /**
   * Dictionary-encoded data: dictionary entries get codes in the order the rows first use them (so
   * codes match factorising the decoded strings), and unused entries never become uniques. The
   * entry -> code map is kept per dictionary object, as batches usually share their dictionary.
   */
  private addDictionary(d: ArrowDataLike, dictionary: ArrowVectorLike): Int32Array {
    const chunks = dictionary.data.map(utf8Of);
    const dictLen = chunks.reduce((s, c) => s + c.offsets.length - 1, 0);
    let map = this.dictionaries.get(dictionary);
    if (!map) {
      map = new Int32Array(dictLen).fill(-1);
      this.dictionaries.set(dictionary, map);
    }
    const idx = d.values as IntegerArray;
    const v = validityOf(d);
    // Entries this batch uses that have no code yet, in order of first use.
    const fresh: number[] = [];
    const pending = new Uint8Array(dictLen);
    for (let i = 0; i < d.length; i++) {
      const e = idx[i];
      if (map[e] < 0 && pending[e] === 0 && isValidAt(v, i)) {
        pending[e] = 1;
        fresh.push(e);
      }
    }
    if (fresh.length > 0) {
      const g = gatherUtf8(chunks, fresh);
      const codes = this.addUtf8(g.offsets, g.bytes, undefined);
      for (let j = 0; j < fresh.length; j++) map[fresh[j]] = codes[j];
    }
    const out = new Int32Array(d.length);
    for (let i = 0; i < d.length; i++) out[i] = isValidAt(v, i) ? map[idx[i]] : -1;
    return out;
  }

  /** offsets: n + 1 entries into data (Arrow's layout; they need not start at 0). */
  private addUtf8(offsets: Int32Array, data: Uint8Array, validity: Validity | undefined): Int32Array {
    const { rt } = this;
    const n = offsets.length - 1;
    const out = new Int32Array(n);
    if (n === 0) return out;
    const lo = offsets[0];
    const hi = offsets[n];
    const offsPtr = rt.mem.alloc((n + 1) * 4);
    const dataPtr = rt.mem.alloc(hi - lo);
    const codesPtr = rt.mem.alloc(n * 4);
    const v = stageValidity(rt, validity, 0, n);
    try {
      rt.mem.i32(offsPtr, n + 1).set(offsets);
      rt.mem.u8(dataPtr, hi - lo).set(data.subarray(lo, hi));
      let done = 0;
      while (done < n) {
        const st = rt.mem.i32(rt.mem.state, 2);
        st[0] = this.nu;
        st[1] = this.used;
        // data + offsets[i] must address row i's bytes: shift the base by the first offset (i32
        // arithmetic wraps, as the kernel's does).
        const r = rt.x.fact_utf8(offsPtr + done * 4, (dataPtr - lo) | 0, n - done, v.ptr, v.bit + done, this.table, this.bits,
          this.uoffs, this.arena, this.arenaCap, this.uhash, this.limit, rt.mem.state, codesPtr + done * 4);
        const after = rt.mem.i32(rt.mem.state, 2);
        this.nu = after[0];
        this.used = after[1];
        done += r;
        if (done < n) {
          if (this.nu >= this.limit) this.growTable();
          else {
            const o = rt.mem.i32(offsPtr + done * 4, 2);
            this.growArena(o[1] - o[0]);
          }
        }
      }
      out.set(rt.mem.i32(codesPtr, n));
    } finally {
      v.free();
      rt.mem.release(codesPtr);
      rt.mem.release(dataPtr);
      rt.mem.release(offsPtr);
    }
    return out;
  }

  /** The distinct strings in order of first appearance. */
  uniques(): string[] {
    this.check();
    const offs = this.rt.mem.i32(this.uoffs, this.nu + 1);
    const bytes = this.rt.mem.u8(this.arena, this.used);
    const dec = new TextDecoder();
    const out = new Array<string>(this.nu);
    for (let i = 0; i < this.nu; i++) out[i] = dec.decode(bytes.subarray(offs[i], offs[i + 1]));
    return out;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const p of [this.table, this.uoffs, this.uhash, this.arena]) this.rt.mem.release(p);
  }

  private newTable(bits: number): number {
    const bytes = 8 << bits;
    const t = this.rt.mem.alloc(bytes);
    this.rt.mem.u8(t, bytes).fill(0);
    return t;
  }

  private growTable(): void {
    const { rt } = this;
    this.bits++;
    rt.mem.release(this.table);
    this.table = this.newTable(this.bits);
    rt.x.rehash_utf8(this.uhash, this.nu, this.table, this.bits);
    this.uoffs = this.moveTo(this.uoffs, (this.nu + 1) * 4, (this.limit + 1) * 4);
    this.uhash = this.moveTo(this.uhash, this.nu * 4, this.limit * 4);
  }

  private growArena(need: number): void {
    const cap = Math.max(this.arenaCap * 2, this.used + need);
    this.arena = this.moveTo(this.arena, this.used, cap);
    this.arenaCap = cap;
  }

  private moveTo(ptr: number, usedBytes: number, newBytes: number): number {
    const p = this.rt.mem.alloc(newBytes);
    this.rt.mem.u8(p, usedBytes).set(this.rt.mem.u8(ptr, usedBytes));
    this.rt.mem.release(ptr);
    return p;
  }

  private check(): void {
    if (this.disposed) throw new Error('factorizer used after dispose()');
  }
}

function utf8Of(d: ArrowDataLike): { offsets: Int32Array; bytes: Uint8Array } {
  if (!(d.valueOffsets instanceof Int32Array) || !(d.values instanceof Uint8Array)) {
    throw new TypeError('expected an Arrow Utf8 (or Binary) vector, or a dictionary of one');
  }
  return { offsets: d.valueOffsets.subarray(0, d.length + 1), bytes: d.values };
}

/** The strings at `positions` (indices across the chunks), as one offsets + bytes buffer. */
function gatherUtf8(chunks: { offsets: Int32Array; bytes: Uint8Array }[], positions: number[]): { offsets: Int32Array; bytes: Uint8Array } {
  const starts: number[] = [];
  let n = 0;
  for (const c of chunks) {
    starts.push(n);
    n += c.offsets.length - 1;
  }
  const locate = (p: number) => {
    let ci = chunks.length - 1;
    while (starts[ci] > p) ci--;
    return { c: chunks[ci], i: p - starts[ci] };
  };
  const offsets = new Int32Array(positions.length + 1);
  for (let j = 0; j < positions.length; j++) {
    const { c, i } = locate(positions[j]);
    offsets[j + 1] = offsets[j] + c.offsets[i + 1] - c.offsets[i];
  }
  const bytes = new Uint8Array(offsets[positions.length]);
  for (let j = 0; j < positions.length; j++) {
    const { c, i } = locate(positions[j]);
    bytes.set(c.bytes.subarray(c.offsets[i], c.offsets[i + 1]), offsets[j]);
  }
  return { offsets, bytes };
}
