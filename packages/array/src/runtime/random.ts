/**
 * Seeded random streams: xoshiro128+ (four 32-bit words, fast in JS with 32-bit integer ops), one
 * independent stream per block derived from (seed, block number) by a splitmix-style hash, so a
 * seeded array has the same values on any executor and with any number of threads.
 */
export interface RandomState {
  s: Int32Array;
  /** Box-Muller produces normals in pairs; the second waits here for the next draw. */
  spare: number;
  hasSpare: boolean;
}

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) | 0;
}

export function streamFor(seed: number, stream: number): RandomState {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) >>> 0;
  const sLo = stream >>> 0;
  const sHi = Math.floor(stream / 4294967296) >>> 0;
  const s = new Int32Array(4);
  for (let i = 0; i < 4; i++) {
    s[i] = mix32(mix32(lo + Math.imul(i + 1, 0x9e3779b9)) ^ mix32(hi ^ 0x632be5ab) ^ mix32(sLo + 0x7f4a7c15 * (i + 3)) ^ mix32(sHi + 0x165667b1));
  }
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  return { s, spare: 0, hasSpare: false };
}

const TWO_POW_M53 = 1 / 9007199254740992;

/** Doubles in [0, 1) with 53 random bits each (two 32-bit draws), written to out[start, start+len). */
export function fillUniform(st: RandomState, out: Float64Array | Float32Array, start: number, len: number): void {
  const s = st.s;
  let s0 = s[0];
  let s1 = s[1];
  let s2 = s[2];
  let s3 = s[3];
  const end = start + len;
  for (let i = start; i < end; i++) {
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
    out[i] = (a * 67108864 + (r >>> 6)) * TWO_POW_M53;
  }
  s[0] = s0;
  s[1] = s1;
  s[2] = s2;
  s[3] = s3;
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
