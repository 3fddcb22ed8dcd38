/**
 * The soak (benchmarks/src/soak/engine.ts) for PDASK_SOAK_SECONDS (default 60): random SIGKILLs of
 * workers and of whole pdask-worker (nanny) processes, client churn and large values under a
 * 300 MB limit, while computations run whose results are checked from first principles. It must
 * end with no wrong result, no failed computation, and nothing leaked.
 */
import { describe, expect, it } from 'vitest';
import { formatReport, runSoak } from '../../../benchmarks/src/soak/engine';
import { requireBuild } from './helpers';

const SECONDS = Number(process.env.PDASK_SOAK_SECONDS ?? 60);

describe('soak', () => {
  it(
    `survives ${SECONDS} s of kills, client churn and memory pressure with exact results and no leaks`,
    async () => {
      requireBuild();
      const r = await runSoak({ seconds: SECONDS, log: (l) => console.log(l) });
      console.log(formatReport(r));
      expect(r.wrongResults).toBe(0);
      expect(r.failures).toEqual([]);
      expect(r.leaks.processes).toEqual([]);
      expect(r.leaks.files).toEqual([]);
      expect(r.leaks.sockets).toBe(0);
      expect(r.leaks.ports).toEqual([]);
      // The kill loops pause 1-3 s (workers) and 6-12 s (nannies); computations go at the pace of
      // a shared 2-core machine, so the floors are far below what a run reaches.
      expect(r.workerKills).toBeGreaterThanOrEqual(Math.floor(SECONDS / 6));
      expect(r.nannyKills).toBeGreaterThanOrEqual(Math.floor(SECONDS / 20));
      expect(r.clientsChurned).toBeGreaterThanOrEqual(Math.floor(SECONDS / 12));
      expect(r.resultsChecked).toBeGreaterThanOrEqual(2 * SECONDS);
    },
    SECONDS * 1000 + 120_000,
  );
});
