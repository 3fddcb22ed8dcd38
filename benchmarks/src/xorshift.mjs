// xorshift32 in [0, 1): the same inputs on every run and in every JS system, without fixtures.
// Plain JavaScript (typed by xorshift.d.mts) so that the probes, which run under plain `node`,
// use the one stream the workloads use (random.ts re-exports it).
export function xorshift(seed) {
  let s = seed | 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}
