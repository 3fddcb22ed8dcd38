/**
 * Work deferred to the end of a received batch (comm.ts `whenBatchEnds`), and what the scheduler
 * does with it: the runs, releases and cancels a batch causes for a worker leave as one `compute`
 * message. A submit after the first sends `release-keys` (the previous future) and `update-graph`
 * in one batch, which used to make two `compute` messages for the worker. Fields with nothing in
 * them are left out of `compute` and of the worker's `done` report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, LocalCluster } from '../src/index';
import { LocalSocket } from '../src/comm/local-link';
import { Comm, drainInOrder, whenBatchEnds, type Message } from '../src/comm/transport';
import { requireBuild } from './helpers';

/** Two Comms over an in-process link, with the batches each end hands over recorded. */
function linkedPair(): { a: Comm; b: Comm; sentByB: unknown[][] } {
  const [sa, sb] = LocalSocket.pair();
  const sentByB: unknown[][] = [];
  const send = sb.sendBatch.bind(sb);
  sb.sendBatch = (batch: unknown[]) => {
    sentByB.push(batch);
    send(batch);
  };
  return { a: new Comm(sa), b: new Comm(sb), sentByB };
}

const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 10));

describe('drainInOrder (how flushes and batch-end jobs are run)', () => {
  it('runs items in order, including items listed while running, and empties the list', () => {
    const list = [1, 2, 3];
    const seen: number[] = [];
    drainInOrder(list, (n) => {
      seen.push(n);
      if (n === 2) list.push(4);
    });
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(list).toEqual([]);
  });

  it('takes an item off before running it: one that throws leaves only the items after it listed', () => {
    const list = ['a', 'b', 'c', 'd'];
    const seen: string[] = [];
    expect(() =>
      drainInOrder(list, (s) => {
        seen.push(s);
        if (s === 'b') throw new Error('flush failed on b');
      }),
    ).toThrow('flush failed on b');
    expect(seen).toEqual(['a', 'b']);
    expect(list).toEqual(['c', 'd']);
  });
});

describe('whenBatchEnds', () => {
  it('refuses (false, nothing queued) when no received batch is being handled', async () => {
    let ran = false;
    expect(whenBatchEnds(() => (ran = true))).toBe(false);
    await tick();
    expect(ran).toBe(false);
  });

  it('runs a job after the batch’s last message, and what it sends leaves with the batch’s replies', async () => {
    const { a, b, sentByB } = linkedPair();
    const seenByB: string[] = [];
    b.onMessage((m) => {
      seenByB.push(`${m.op} ${String(m.n)}`);
      if (m.n === 1) {
        // Queued while the first message is handled; runs once the second one is.
        expect(whenBatchEnds(() => {
          seenByB.push('job');
          b.send({ op: 'from-job' });
        })).toBe(true);
      }
      b.send({ op: 'reply', n: m.n });
    });
    const seenByA: Message[] = [];
    a.onMessage((m) => seenByA.push(m));
    a.send({ op: 'ask', n: 1 });
    a.send({ op: 'ask', n: 2 });
    await tick();
    expect(seenByB).toEqual(['ask 1', 'ask 2', 'job']);
    // One batch back: both replies, then the job's message.
    expect(sentByB).toHaveLength(1);
    expect(seenByA).toEqual([{ op: 'reply', n: 1 }, { op: 'reply', n: 2 }, { op: 'from-job' }]);
    a.close();
  });
});

describe('the scheduler’s compute messages', () => {
  let cluster: LocalCluster;
  beforeAll(async () => {
    requireBuild();
    cluster = await LocalCluster.start({ nWorkers: 1 });
  }, 30_000);
  afterAll(async () => {
    await cluster?.close();
  });

  it('a submit after a release makes one compute message (release and run together)', async () => {
    const client = await Client.connect(cluster, { setAsDefault: false });
    try {
      await client.waitForWorkers(1);
      const [rec] = [...cluster.scheduler.workers.values()];
      const computes: Message[] = [];
      const send = rec.comm.send.bind(rec.comm);
      rec.comm.send = (m: Message) => {
        if (m.op === 'compute') computes.push(m);
        send(m);
      };
      // The worker's reports, as the scheduler receives them.
      const dones: Message[] = [];
      const handler = (rec.comm as unknown as { onMsg: (m: Message) => void }).onMsg;
      rec.comm.onMessage((m) => {
        if (m.op === 'done') dones.push(m);
        handler(m);
      });
      const inc = (x: number) => x + 1;
      let prev = client.submitWith({ pure: false }, inc, 0);
      expect(await prev.result()).toBe(1);
      computes.length = 0;
      for (let i = 1; i <= 5; i++) {
        // The release and the next submit go to the scheduler in one batch.
        prev.release();
        const f = client.submitWith({ pure: false }, inc, i);
        expect(await f.result()).toBe(i + 1);
        expect(computes).toHaveLength(i);
        const c = computes[i - 1] as Message & { release: string[]; run: unknown[] };
        expect(c.release).toEqual([prev.key]);
        // One task: its node, its keys, its fetch list.
        expect(c.run).toHaveLength(3);
        expect(c.run[1]).toEqual([f.key]);
        // Empty fields are left out both ways (the receiver reads them as empty).
        expect(Object.keys(c).sort()).toEqual(['op', 'release', 'reply', 'run']);
        expect(Object.keys(dones[dones.length - 1]).sort()).toEqual(['ok', 'op', 'values']);
        prev = f;
      }
      prev.release();
    } finally {
      await client.close();
    }
  });

  it('keys name the function submitted, also when submits alternate between functions', async () => {
    const client = await Client.connect(cluster, { setAsDefault: false });
    try {
      const double = (x: number) => 2 * x;
      const negate = (x: number) => -x;
      const keys: string[] = [];
      for (let i = 0; i < 3; i++) {
        for (const f of [client.submitWith({ pure: false }, double, i), client.submitWith({ pure: false }, negate, i), client.submit((x: number) => x, i)]) {
          keys.push(f.key.replace(/-[0-9a-f-]+$/, ''));
          f.release();
        }
      }
      expect(keys).toEqual(['double', 'negate', 'lambda', 'double', 'negate', 'lambda', 'double', 'negate', 'lambda']);
    } finally {
      await client.close();
    }
  });
});
