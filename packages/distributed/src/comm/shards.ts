/**
 * Messages larger than one shard travel as several WebSocket messages (Dask's
 * `distributed.comm.shard`), so no value is bounded by the size one WebSocket message may have,
 * and neither side ever holds a whole large value twice: the sender sends one shard at a time
 * (the next when the previous has been written to the socket), and the receiver copies each
 * shard into the frame it belongs to, allocated once at its full size, then lets the shard go.
 *
 * On the wire nothing else changes: the bytes of `[prefix, ...frames]` (see `encodeMessage`) are
 * cut into consecutive WebSocket messages. The receiver learns from the prefix how many bytes
 * the message has, so a WebSocket message that holds fewer starts a sharded one, and the ones
 * after it continue it until the announced bytes are in.
 */
import { config, parseBytes } from '@pdask/core';
import { FRAMED, readPrefix } from '../protocol/codec';

export const SHARD_KEY = 'distributed.comm.shard-bytes';
export const DEFAULT_SHARD_BYTES = 64 * 2 ** 20;
/** The largest WebSocket message a peer accepts (`maxPayload`): a shard must fit in one. */
export const MAX_MESSAGE_BYTES = 2 ** 30;

/** The shard size from config (a byte count or a size such as '64MiB'), checked by name. */
export function shardBytes(): number {
  const raw = config.get<number | string>(SHARD_KEY, DEFAULT_SHARD_BYTES);
  if (typeof raw !== 'number' && typeof raw !== 'string') throw new TypeError(`config '${SHARD_KEY}': expected a byte size, got ${JSON.stringify(raw)}`);
  const n = parseBytes(raw, `config '${SHARD_KEY}'`);
  if (n < 1 || n > MAX_MESSAGE_BYTES) {
    throw new RangeError(`config '${SHARD_KEY}': must be from 1 byte to 1 GiB (the largest WebSocket message a peer accepts), got ${String(raw)}`);
  }
  return n;
}

function byteCount(parts: readonly Uint8Array[]): number {
  let n = 0;
  for (const p of parts) n += p.byteLength;
  return n;
}

/**
 * Cuts the parts of one encoded message into WebSocket messages (each a list of fragments) of at
 * most `shard` bytes, except that the first always holds the prefix's length table whole (the
 * receiver needs it to know what follows). Fragments are views: nothing is copied.
 */
export function splitIntoShards(parts: readonly Uint8Array[], shard: number): Uint8Array[][] {
  const table = parts.length > 1 ? 12 + 8 * (parts.length - 1) : 0;
  const out: Uint8Array[][] = [];
  let cur: Uint8Array[] = [];
  let room = Math.max(shard, table);
  for (const p of parts) {
    let at = 0;
    while (at < p.byteLength) {
      if (room === 0) {
        out.push(cur);
        cur = [];
        room = shard;
      }
      const take = Math.min(room, p.byteLength - at);
      cur.push(at === 0 && take === p.byteLength ? p : p.subarray(at, at + take));
      at += take;
      room -= take;
    }
  }
  if (cur.length) out.push(cur);
  return out;
}

/**
 * Puts sharded messages back together. `push` takes each received WebSocket message (its
 * fragments) and returns the parts of a whole encoded message — `[prefix, ...frames]` for a
 * sharded one — or undefined while more shards are due. A message that is whole already is
 * returned as it came.
 */
export class ShardAssembler {
  private lens: number[] = [];
  private bufs: Uint8Array[] = [];
  private seg = 0;
  private off = 0;
  private active = false;

  /** Whether a sharded message is partly received. */
  get pending(): boolean {
    return this.active;
  }

  push(frags: readonly Uint8Array[]): Uint8Array[] | undefined {
    if (!this.active) {
      const first = frags[0];
      if (!first || first[0] !== FRAMED || first.byteLength < 12) return frags as Uint8Array[];
      let p: ReturnType<typeof readPrefix>;
      try {
        p = readPrefix(first);
      } catch {
        return frags as Uint8Array[]; // malformed: decodeMessage says why
      }
      let announced = p.start + p.headerLen;
      for (const l of p.lens) announced += l;
      if (announced <= byteCount(frags)) return frags as Uint8Array[];
      this.lens = [p.start + p.headerLen, ...p.lens];
      this.bufs = new Array<Uint8Array>(this.lens.length);
      this.seg = 0;
      this.off = 0;
      this.active = true;
      this.skipEmpty();
    }
    for (const f of frags) {
      let pos = 0;
      while (pos < f.byteLength) {
        if (this.seg >= this.lens.length) throw new Error('a sharded message has more bytes than its prefix announced');
        const len = this.lens[this.seg];
        const take = Math.min(len - this.off, f.byteLength - pos);
        if (this.off === 0 && take === len) {
          // The whole part lies in this fragment: keep a view, no copy.
          this.bufs[this.seg] = f.subarray(pos, pos + take);
        } else {
          // Allocated once at full size (zero-filling would cost a pass over it; every byte is written).
          if (this.off === 0) this.bufs[this.seg] = typeof Buffer === 'function' ? Buffer.allocUnsafeSlow(len) : new Uint8Array(len);
          this.bufs[this.seg].set(f.subarray(pos, pos + take), this.off);
        }
        pos += take;
        this.off += take;
        if (this.off === len) {
          this.seg++;
          this.off = 0;
          this.skipEmpty();
        }
      }
    }
    if (this.seg < this.lens.length) return undefined;
    const whole = this.bufs;
    this.reset();
    return whole;
  }

  reset(): void {
    this.active = false;
    this.lens = [];
    this.bufs = [];
  }

  private skipEmpty(): void {
    while (this.seg < this.lens.length && this.lens[this.seg] === 0) this.bufs[this.seg++] = new Uint8Array(0);
  }
}
