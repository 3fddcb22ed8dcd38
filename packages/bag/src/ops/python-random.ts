/**
 * CPython's `random.Random` (MT19937 with Python's seeding, `random()` and `randint`), so that
 * `randomSample(prob, { randomState: seed })` keeps exactly the elements Dask 2022.12 keeps for
 * the same seed: Dask seeds one Random per bag, draws 624 words per partition with `randint`, and
 * each partition's sampler is a Random set to those words.
 */

const N = 624;
const M = 397;

export class PythonRandom {
  private readonly mt = new Uint32Array(N);
  private index = N;

  /** `random.Random(seed)` for an integer seed (its absolute value, as CPython). */
  static seeded(seed: bigint): PythonRandom {
    let n = seed < 0n ? -seed : seed;
    const key: number[] = [];
    do {
      key.push(Number(n & 0xffffffffn));
      n >>= 32n;
    } while (n > 0n);
    const r = new PythonRandom();
    r.initByArray(key);
    return r;
  }

  /** `Random().setstate((3, words + (index,), None))`; words are truncated to 32 bits, as CPython does. */
  static fromState(words: ArrayLike<number>, index = N): PythonRandom {
    const r = new PythonRandom();
    for (let i = 0; i < N; i++) r.mt[i] = words[i] >>> 0;
    r.index = index;
    return r;
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = N;
  }

  private initByArray(key: readonly number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  private twist(): void {
    const mt = this.mt;
    for (let kk = 0; kk < N; kk++) {
      const y = (mt[kk] & 0x80000000) | (mt[(kk + 1) % N] & 0x7fffffff);
      mt[kk] = mt[(kk + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }

  /** The next 32-bit output (CPython's genrand_uint32). */
  uint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `random()`: a double in [0, 1) from 53 random bits. */
  random(): number {
    const a = this.uint32() >>> 5;
    const b = this.uint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** `randint(0, 2**32)`, the draw Dask uses to make each partition's state (33-bit rejection sampling, as CPython's randbelow). */
  randint0To2p32(): number {
    for (;;) {
      const lo = this.uint32();
      const hi = this.uint32() >>> 31;
      const r = hi * 4294967296 + lo;
      if (r <= 4294967296) return r;
    }
  }
}

/** The 624 state words of each of `n` partition samplers drawn from `seeded` (Dask's random_state_data_python). */
export function partitionStates(seeded: PythonRandom, n: number): Uint32Array[] {
  return Array.from({ length: n }, () => {
    const words = new Uint32Array(N);
    // 2**32 (drawn with probability 2**-32) becomes 0 in the state, as CPython's setstate truncates it.
    for (let i = 0; i < N; i++) words[i] = seeded.randint0To2p32() >>> 0;
    return words;
  });
}

/** The elements of a partition kept by a sampler set to `state`: those whose `random()` is below `prob`. */
export const randomSamplePartition = (part: readonly unknown[], state: Uint32Array, prob: number): unknown[] => {
  const r = PythonRandom.fromState(state);
  const out: unknown[] = [];
  for (let j = 0; j < part.length; j++) if (r.random() < prob) out.push(part[j]);
  return out;
};
