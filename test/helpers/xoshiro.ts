/**
 * xoshiro128+ transcribed from the reference C code (Blackman & Vigna), the reference the kernels'
 * generator is tested against. Written once here so that every test checks against the same text.
 */

/** The next 32-bit output of the generator whose four state words are `s` (stepped in place). */
export function xoshiroNext(s: number[]): number {
  const out = (s[0] + s[3]) >>> 0;
  const t = (s[1] << 9) >>> 0;
  s[2] = (s[2] ^ s[0]) >>> 0;
  s[3] = (s[3] ^ s[1]) >>> 0;
  s[1] = (s[1] ^ s[2]) >>> 0;
  s[0] = (s[0] ^ s[3]) >>> 0;
  s[2] = (s[2] ^ t) >>> 0;
  s[3] = ((s[3] << 11) | (s[3] >>> 21)) >>> 0;
  return out;
}

/** The double in [0, 1) made of two outputs: their top 27 and 26 bits, as the kernels make it. */
export const uniform53 = (a: number, b: number): number => ((a >>> 5) * 2 ** 26 + (b >>> 6)) / 2 ** 53;
