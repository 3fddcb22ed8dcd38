/**
 * A process that connects and closes many clients (a web server, the soak's client churn) must
 * not keep the closed ones: each client registers itself as a named executor, and closing it must
 * remove that registration (otherwise the registry holds every closed client and its connection).
 */
import { executorNames } from '@pdask/core';
import { describe, expect, it } from 'vitest';
import { Client } from '../src/index';
import { useCluster } from './helpers';

const shared = useCluster();

describe('client churn', () => {
  it('a closed client leaves the executor registry', async () => {
    const before = executorNames().length;
    const names: string[] = [];
    for (let i = 0; i < 5; i++) {
      const c = await Client.connect(shared.cluster, { setAsDefault: false });
      names.push(`pdask-client-${c.id}`);
      expect(executorNames()).toContain(names[i]);
      expect(await c.submit((a: number, b: number) => a + b, i, 10).result()).toBe(i + 10);
      await c.close();
    }
    for (const n of names) expect(executorNames()).not.toContain(n);
    expect(executorNames().length).toBe(before);
  });
});
