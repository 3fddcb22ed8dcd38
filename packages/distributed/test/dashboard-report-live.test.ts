/**
 * performanceReport with no `source`: it records the dashboard running in this process (here
 * startDashboard on core's thread pool), so the report holds exactly the tasks the computation ran.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeThreadPools, sharedThreadsExecutor } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultFrameSource, performanceReport, startDashboard } from '../src/index';
import type { Frame } from '../src/dashboard/protocol';
import { tree, treeSum } from './helpers';

afterAll(() => closeThreadPools());

function embedded(html: string): { frames: Frame[] } {
  const m = /<script type="application\/json" id="pdask-report-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error('no embedded frames');
  return JSON.parse(m[1]) as { frames: Frame[] };
}

describe('performanceReport of a live dashboard', () => {
  it('records the tasks the computation ran, from the running dashboard', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdask-report-live-'));
    const executor = sharedThreadsExecutor(2);
    const dash = await startDashboard({ address: '127.0.0.1:0', pool: executor.pool });
    try {
      expect(defaultFrameSource()).not.toBeNull();
      const filename = join(dir, 'report.html');
      const n = 500;
      const v = await performanceReport({ filename }, () => tree(n).compute({ scheduler: 'threads', numWorkers: 2 }));
      expect(v).toBe(treeSum(n));
      const { frames } = embedded(readFileSync(filename, 'utf8'));
      expect(frames[0].type).toBe('snapshot');
      // Every task of the tree: n leaves ('inc') and n - 1 adds, each once in the task stream.
      const keys = new Map<string, string>();
      for (const f of frames) if (f.type === 'tasks') for (const t of f.append) keys.set(t.key, t.prefix);
      const count = (p: string) => [...keys.values()].filter((x) => x === p).length;
      expect(count('inc')).toBe(n);
      expect(count('add')).toBe(n - 1);
    } finally {
      await dash.close();
      rmSync(dir, { recursive: true, force: true });
    }
    // Closed: nothing left to record.
    expect(defaultFrameSource()).toBeNull();
    await expect(performanceReport({ filename: join(dir, 'x.html') }, () => 1)).rejects.toThrow('no dashboard to record');
  }, 30_000);
});
