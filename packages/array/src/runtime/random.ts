/**
 * Seeded random streams: "xoshiro128+ x8", eight interleaved xoshiro128+ generators (fast in JS
 * with 32-bit integer ops, and in WebAssembly as two i32x4 vectors: one generator alone is
 * latency-bound). Double j of each group of eight comes from generator j (53 bits from two draws).
 * One independent stream per block, its 32 state words derived from (seed, block number, generator)
 * by a murmur-style hash, so a seeded array has the same values on any executor and with any number
 * of threads. The WebAssembly kernel (kernels/assembly/random.ts) and the JS loop here implement the
 * same definition bit for bit; which one runs depends only on whether the kernels are loaded.
 */
import type { Kernels } from '@pdask/kernels';
import { kernelsNow } from './kernels';

export interface RandomState {
  /** 32 words: word w of generator j at j < 4 ? 4w + j : 16 + 4w + (j - 4) (the SIMD layout). */
  s: Int32Array;
  /** The rest of a group of eight of which a call used only a part (unscaled), from bufPos on. */
  buf: Float64Array;
  bufPos: number;
  /** Box-Muller produces normals in pairs; the second waits here for the next draw. */
  spare: number;
  hasSpare: boolean;
}

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) | 0;
}

export const GROUP = 8;

const word = (j: number, w: number): number => (j < 4 ? 4 * w + j : 16 + 4 * w + (j - 4));

export function streamFor(seed: number, stream: number): RandomState {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  const sLo = stream >>> 0;
  const sHi = Math.floor(stream / 4294967296) >>> 0;
  const s = new Int32Array(32);
  const base = mix32(hi ^ 0x632be5ab) ^ mix32(sHi + 0x165667b1);
  for (let j = 0; j < GROUP; j++) {
    let any = 0;
    for (let w = 0; w < 4; w++) {
      const v = mix32(mix32(lo + Math.imul(w + 1, 0x9e3779b9)) ^ base ^ mix32(sLo + Math.imul(0x7f4a7c15, w + 3)) ^ mix32(Math.imul(j + 1, 0x2545f491) + Math.imul(w + 1, 0x3c6ef372)));
      s[word(j, w)] = v;
      any |= v;
    }
    if (any === 0) s[word(j, 0)] = 1;
  }
  return { s, buf: new Float64Array(GROUP), bufPos: GROUP, spare: 0, hasSpare: false };
}

const TWO_POW_M53 = 1 / 9007199254740992;

/** `groups` groups of eight unscaled doubles into out[at...], by the JS loop. */
function groupsJs(s: Int32Array, out: Float64Array | Float32Array, at: number, groups: number, lo: number, span: number): void {
  const scaled = lo !== 0 || span !== 1;
  for (let j = 0; j < GROUP; j++) {
    const i0 = word(j, 0);
    const i1 = word(j, 1);
    const i2 = word(j, 2);
    const i3 = word(j, 3);
    let s0 = s[i0];
    let s1 = s[i1];
    let s2 = s[i2];
    let s3 = s[i3];
    for (let g = 0, o = at + j; g < groups; g++, o += GROUP) {
      // Draw 1 (xoshiro128+: the sum of two words; its high bits are the strong ones).
      let r = (s0 + s3) | 0;
      let t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const a = r >>> 5;
      // Draw 2.
      r = (s0 + s3) | 0;
      t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const u = (a * 67108864 + (r >>> 6)) * TWO_POW_M53;
      out[o] = scaled ? lo + u * span : u;
    }
    s[i0] = s0;
    s[i1] = s1;
    s[i2] = s2;
    s[i3] = s3;
  }
}

/**
 * Doubles in [0, 1) with 53 random bits each (or `lo + u * span`), written to out[start,
 * start+len), continuing the block's stream.
 */
export function fillUniform(st: RandomState, out: Float64Array | Float32Array, start: number, len: number, lo = 0, span = 1, kernels?: Kernels): void {
  const scaled = lo !== 0 || span !== 1;
  let i = start;
  const end = start + len;
  while (st.bufPos < GROUP && i < end) {
    const u = st.buf[st.bufPos++];
    out[i++] = scaled ? lo + u * span : u;
  }
  const whole = Math.floor((end - i) / GROUP) * GROUP;
  if (whole > 0) {
    // `kernels` is the instance over the memory `out` lives in, when the caller has one: written in place.
    const k = kernels ?? kernelsNow();
    if (k && out instanceof Float64Array) k.fillUniform(st.s, out.subarray(i, i + whole), { lo, span });
    else groupsJs(st.s, out, i, whole / GROUP, lo, span);
    i += whole;
  }
  if (i < end) {
    groupsJs(st.s, st.buf, 0, 1, 0, 1);
    st.bufPos = 0;
    while (i < end) {
      const u = st.buf[st.bufPos++];
      out[i++] = scaled ? lo + u * span : u;
    }
  }
}

/** The JS path alone (tests compare it with the kernel's bits). */
export function fillUniformJs(st: RandomState, out: Float64Array, groups: number): void {
  groupsJs(st.s, out, 0, groups, 0, 1);
}

let tmp = new Float64Array(0);

/** Standard normals by Box-Muller (polar-free form), pairs kept across calls. */
export function fillNormal(st: RandomState, out: Float64Array | Float32Array, start: number, len: number, loc: number, scale: number): void {
  let i = start;
  const end = start + len;
  if (st.hasSpare && i < end) {
    out[i++] = loc + scale * st.spare;
    st.hasSpare = false;
  }
  const need = end - i;
  const pairs = Math.ceil(need / 2);
  if (tmp.length < 2 * pairs) tmp = new Float64Array(2 * pairs);
  fillUniform(st, tmp, 0, 2 * pairs);
  for (let p = 0; p < pairs; p++) {
    const u1 = 1 - tmp[2 * p]; // (0, 1]: log is finite
    const u2 = tmp[2 * p + 1];
    const r = Math.sqrt(-2 * Math.log(u1));
    const z0 = r * Math.cos(2 * Math.PI * u2);
    const z1 = r * Math.sin(2 * Math.PI * u2);
    out[i++] = loc + scale * z0;
    if (i < end) out[i++] = loc + scale * z1;
    else {
      st.spare = z1;
      st.hasSpare = true;
    }
  }
}
