/**
 * A small seeded stream (mulberry32). Initial centers and per-block splits draw from it on the
 * calling thread, so a seed gives the same model on every scheduler and thread count. Its 2^32
 * period is plenty for choosing rows and permuting one block.
 */
export class Stream {
  private s: number;
  constructor(seed: number, stream = 0) {
    // Mix the stream number in so block b's stream is unrelated to block b + 1's.
    this.s = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
    for (let i = 0; i < 4; i++) this.next();
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }
}
