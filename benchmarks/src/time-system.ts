/** Times one JS system of a workload in this process (the loop the harness and its isolated child share). */
import { median, type JsRun, type SystemResult } from './harness.js';

export async function timeSystem(spec: JsRun, repeat: number, warmup: number): Promise<SystemResult> {
  const reason = await spec.unavailable?.();
  if (reason) return { system: spec.system, status: 'absent', reason };
  let ctx: unknown;
  try {
    ctx = await spec.setup?.();
    for (let i = 0; i < warmup; i++) await spec.run(ctx);
    const times: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const t0 = performance.now();
      const own = await spec.run(ctx);
      const wall = performance.now() - t0;
      if (spec.timesItself && !(typeof own === 'number' && own >= 0 && own <= wall)) throw new Error(`${spec.system} timed itself at ${String(own)} ms, outside 0..${wall.toFixed(3)} ms`);
      times.push(spec.timesItself ? (own as number) : wall);
    }
    return { system: spec.system, status: 'ok', times, medianMs: median(times) };
  } catch (e) {
    return { system: spec.system, status: 'failed', reason: e instanceof Error ? e.message : String(e) };
  } finally {
    await spec.teardown?.(ctx as never);
  }
}
