/**
 * The short paths of a submit→result round trip (issue 16): a client of a scheduler in its own
 * process links to it in memory, small primitive results come back with the scheduler's 'memory'
 * message instead of being fetched from the worker, and releases made in one turn travel as one
 * message. Each must give exactly what the long path gives.
 */
import { config } from '@pdask/core';
import { existsSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, ConnectionRefusedError, LocalCluster, Scheduler } from '../src/index';
import { LocalSocket } from '../src/comm/local-link';
import type { Comm, Message } from '../src/comm/transport';
import { requireBuild, until } from './helpers';

/** The client's connection to its scheduler, and its pool of connections to workers (private: looked at, not used). */
function internals(c: Client): { comm: Comm; peers: { conns: Map<string, unknown> } } {
  return c as unknown as { comm: Comm; peers: { conns: Map<string, unknown> } };
}

let cluster: LocalCluster;
beforeAll(async () => {
  requireBuild();
  cluster = await LocalCluster.start({ nWorkers: 2 });
}, 30_000);
afterAll(async () => {
  await cluster?.close();
});

async function withClient<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = await Client.connect(cluster, { setAsDefault: false });
  try {
    await c.waitForWorkers(2);
    return await fn(c);
  } finally {
    await c.close();
  }
}

/** Results of every kind, each with the value a task returns and what result() must give. */
const LONG = 'x'.repeat(300);
const cases: [string, () => unknown, unknown][] = [
  ['an integer', () => 41 + 1, 42],
  ['a fraction', () => 1 / 4, 0.25],
  ['NaN', () => Number.NaN, Number.NaN],
  ['-Infinity', () => -1 / 0, -Infinity],
  ['a large integer', () => 2 ** 53 - 1, 9007199254740991],
  ['true', () => 1 < 2, true],
  ['null', () => null, null],
  ['undefined', () => undefined, undefined],
  ['a short string', () => ['a', 'b', 'c'].join('-'), 'a-b-c'],
  ['a string of 300 characters (fetched)', () => 'x'.repeat(300), LONG],
  ['an object (fetched)', () => ({ a: 1, b: [2, 3] }), { a: 1, b: [2, 3] }],
  ['a Float64Array (fetched)', () => Float64Array.from([0.5, 1.5]), Float64Array.from([0.5, 1.5])],
];

describe('a client of a scheduler in its own process', () => {
  it('links to it in memory, and over WebSocket when config distributed.comm.in-process is off', async () => {
    await withClient(async (c) => {
      expect(internals(c).comm.ws).toBeInstanceOf(LocalSocket);
      expect(await c.submit((x: number) => x * 2, 21).result()).toBe(42);
    });
    const off = config.set({ 'distributed.comm.in-process': false });
    try {
      await withClient(async (c) => {
        expect(internals(c).comm.ws).not.toBeInstanceOf(LocalSocket);
        expect(await c.submit((x: number) => x * 2, 21).result()).toBe(42);
      });
    } finally {
      off.restore();
    }
  });

  it('is refused with a wrong token, as over the network', async () => {
    await expect(Client.connect(cluster.schedulerAddress, { token: 'not-the-token', setAsDefault: false })).rejects.toThrow(ConnectionRefusedError);
    await expect(Client.connect(cluster.schedulerAddress, { token: 'not-the-token', setAsDefault: false })).rejects.toThrow(/wrong or missing authentication token/);
  });

  it('learns that the scheduler closed: a pending future fails, the next submit is refused', async () => {
    const s = await Scheduler.start({ port: 0 });
    const c = await Client.connect(s.address, { token: s.token, setAsDefault: false });
    try {
      expect(internals(c).comm.ws).toBeInstanceOf(LocalSocket);
      // No workers: the task stays pending until the scheduler goes.
      const f = c.submit((x: number) => x + 1, 1);
      const failed = expect(f.result()).rejects.toThrow(/Lost the scheduler/);
      await s.close();
      await failed;
      expect(() => c.submit((x: number) => x + 1, 2)).toThrow(/closed/);
    } finally {
      await c.close();
      await s.close();
    }
  });
});

describe('small results', () => {
  it.each([true, false])('are the same inline as fetched (in-process link: %s)', async (inProcess) => {
    const scope = config.set({ 'distributed.comm.in-process': inProcess });
    try {
      await withClient(async (c) => {
        for (const [what, fn, expected] of cases) {
          const f = c.submitWith({ pure: false }, fn);
          const got = await f.result();
          if (typeof expected === 'number' && Number.isNaN(expected)) expect(Number.isNaN(got), what).toBe(true);
          else expect(got, what).toEqual(expected);
          // A second result() gives the same value again.
          const again = await f.result();
          if (typeof expected === 'number' && Number.isNaN(expected)) expect(Number.isNaN(again), what).toBe(true);
          else expect(again, what).toEqual(expected);
          f.release();
        }
        // gather of a map mixes inline and fetched results in order.
        const xs = [0, 1, 2, 3, 4, 5];
        const futures = c.map((i: number) => (i % 2 === 0 ? i * 10 : { odd: i }), xs, { pure: false });
        expect(await c.gather(futures)).toEqual([0, { odd: 1 }, 20, { odd: 3 }, 40, { odd: 5 }]);
        for (const f of futures) f.release();
      });
    } finally {
      scope.restore();
    }
  });

  it('come with the memory message: a client that reads only those never connects to a worker', async () => {
    await withClient(async (c) => {
      const futures = c.map((i: number) => i * i, [1, 2, 3, 4], { pure: false });
      expect(await c.gather(futures)).toEqual([1, 4, 9, 16]);
      expect(await futures[2].result()).toBe(9);
      expect(internals(c).peers.conns.size).toBe(0);
      // An object is fetched from its worker.
      expect(await c.submit(() => ({ k: 'v' })).result()).toEqual({ k: 'v' });
      expect(internals(c).peers.conns.size).toBe(1);
      for (const f of futures) f.release();
    });
  });

  it('of two submits of one pure call share the key: releasing one future leaves the other its value and its error path', async () => {
    await withClient(async (c) => {
      const square = (x: number) => x * x;
      const a = c.submit(square, 12);
      const b = c.submit(square, 12);
      expect(b.key).toBe(a.key);
      expect(await a.result()).toBe(144);
      a.release();
      expect(await b.result()).toBe(144);
      const bad = c.submit((x: number) => {
        throw new RangeError(`no square of ${x}`);
      }, 5);
      await expect(bad.result()).rejects.toThrow('no square of 5');
      b.release();
      bad.release();
      await expect(b.result()).rejects.toThrow(/released/);
    });
  });

  it('of a large map are fetched from the workers in bulk, not passed through the scheduler', async () => {
    await withClient(async (c) => {
      const n = 200;
      const futures = c.map((i: number) => i * 3, Array.from({ length: n }, (_, i) => i), { pure: false });
      const values = await c.gather(futures);
      expect(values).toEqual(Array.from({ length: n }, (_, i) => i * 3));
      expect(internals(c).peers.conns.size).toBeGreaterThan(0);
      for (const f of futures) f.release();
    });
  });
});

describe('task arguments over the in-process link (copied, not encoded, when plain)', () => {
  it.each([true, false])('arrive as over WebSocket, and one that cannot be sent fails its future with the same error (in-process link: %s)', async (inProcess) => {
    const scope = config.set({ 'distributed.comm.in-process': inProcess });
    try {
      await withClient(async (c) => {
        // Plain (copied), then with a surrogate pair and a typed array (both left to the codec).
        const show = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (x === undefined ? 'undefined' : ArrayBuffer.isView(x) ? `${x.constructor.name}[${String(Array.from(x as Float64Array))}]` : x));
        const args: [unknown, string][] = [
          [{ a: [1, undefined, -0], s: 'café' }, '{"a":[1,null,0],"s":"café"}'],
          [['😀', 2], '["😀",2]'],
          [{ f: Float64Array.from([0.5]) }, '{"f":"Float64Array[0.5]"}'],
        ];
        for (const [arg, expected] of args) {
          const f = c.submitWith({ pure: false }, show, arg);
          expect(await f.result()).toBe(expected);
          f.release();
        }
        const bad = c.submitWith({ pure: false }, (o: { s: symbol }) => String(o.s), { s: Symbol('s') });
        await expect(bad.result()).rejects.toThrow('Cannot send the graph to the scheduler: Unrecognized object: [object Symbol]');
        // The connection stays usable.
        expect(await c.submit((x: number) => x + 1, 41).result()).toBe(42);
      });
    } finally {
      scope.restore();
    }
  });
});

describe('releases', () => {
  it('made in one turn go as one message, and the scheduler forgets every key', async () => {
    await withClient(async (c) => {
      const n = 500;
      const futures = c.map((i: number) => i + 1, Array.from({ length: n }, (_, i) => i), { pure: false });
      const values = await c.gather(futures);
      expect(values.reduce((a, b) => a + b, 0)).toBe((n * (n + 1)) / 2);
      const comm = internals(c).comm;
      const sent: Message[] = [];
      const send = comm.send.bind(comm);
      comm.send = (m: Message) => {
        sent.push(m);
        send(m);
      };
      for (const f of futures) f.release();
      comm.send = send;
      expect(sent.map((m) => m.op)).toEqual(['release-keys']);
      expect(new Set(sent[0].keys as string[])).toEqual(new Set(futures.map((f) => f.key)));
      await until(async () => Object.values((await c.schedulerInfo()).tasks).reduce((a, b) => a + b, 0) === 0, 10_000, 'the scheduler to forget the released keys');
    });
  });
});

describe("a LocalCluster's worker processes", () => {
  it('reach its scheduler over a unix socket, removed when the cluster closes', async () => {
    const path = cluster.scheduler.localSocket;
    expect(path).toBeDefined();
    expect(statSync(path!).isSocket()).toBe(true);
    const peers = [...cluster.scheduler.workers.values()].map((w) => w.comm.peer);
    expect(peers).toEqual([`worker@unix:${path}`, `worker@unix:${path}`]);
    await withClient(async (c) => expect(await c.submit((x: number) => x * 3, 14).result()).toBe(42));
    const other = await LocalCluster.start({ nWorkers: 1 });
    const otherPath = other.scheduler.localSocket!;
    await other.close();
    expect(existsSync(otherPath)).toBe(false);
  });

  it('reach it over TCP when config distributed.comm.local-socket is off', async () => {
    const off = config.set({ 'distributed.comm.local-socket': false });
    const other = await LocalCluster.start({ nWorkers: 1 });
    try {
      expect(other.scheduler.localSocket).toBeUndefined();
      const c = await Client.connect(other, { setAsDefault: false });
      try {
        await c.waitForWorkers(1);
        expect(await c.submit((x: number) => x - 1, 43).result()).toBe(42);
      } finally {
        await c.close();
      }
      expect([...other.scheduler.workers.values()].map((w) => w.comm.peer)).toEqual([expect.stringMatching(/^worker@127\.0\.0\.1:\d+$/)]);
    } finally {
      off.restore();
      await other.close();
    }
  });
});

