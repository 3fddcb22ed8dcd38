// The benchmarks' xorshift32 stream (benchmarks/src/random.ts's `xorshift`), for the probes, which
// run as plain JavaScript and cannot import the TypeScript: uniform numbers in [0, 1).
export function xorshift(seed) {
  let s = seed | 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}
