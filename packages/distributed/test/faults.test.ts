import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { Client, ConnectionRefusedError, encodeValue, LocalCluster, Worker } from '../src/index';
import { tree, treeSum, until, useCluster } from './helpers';

const shared = useCluster();

describe('worker failures', () => {
  it('finishes a tree reduction exactly when a worker is SIGKILLed in the middle', async () => {
    const running = tree(400, 4).compute();
    // Both workers hold partial sums by now (400 leaves x 4 ms over 2 workers is ~0.8 s).
    await new Promise((r) => setTimeout(r, 300));
    const victim = shared.cluster.workerPids[0];
    process.kill(victim, 'SIGKILL');
    expect(await running).toBe(treeSum(400));
    // The nanny replaced the dead process.
    await until(() => shared.client.workers.length === 2 && !shared.cluster.workerPids.includes(victim), 20_000, 'a replacement worker');
  });

  it('recomputes an input whose holder is killed as another worker is told to fetch it', async () => {
    await shared.client.waitForWorkers(2);
    const make = (n: number) => {
      const x = new Float64Array(n);
      for (let i = 0; i < n; i++) x[i] = i;
      return x;
    };
    const big = shared.client.submitWith({ pure: false }, make, 2_000_000);
    await big.exception();
    const holder = (await shared.client.whoHas([big])).get(big.key)![0];
    const victim = shared.client.workers.find((w) => w.address === holder)!;
    const survivor = shared.client.workers.find((w) => w.address !== holder)!;
    // Kill the holder and at once have the other worker run a task that reads its result.
    process.kill(victim.pid, 'SIGKILL');
    const total = shared.client.submitWith({ workers: [survivor.address], pure: false }, (x: Float64Array) => x.reduce((s, v) => s + v, 0), big);
    expect(await total.result()).toBe((2_000_000 * 1_999_999) / 2);
    await until(() => shared.client.workers.length === 2, 20_000, 'a replacement worker');
  });

  it('fails readers of scattered data lost with its worker, clearly (it cannot be recomputed)', async () => {
    await shared.client.waitForWorkers(2);
    const victim = shared.client.workers[0];
    const data = await shared.client.scatter(new Int32Array([1, 2, 3]), { workers: [victim.address] });
    expect(await shared.client.submit((xs: Int32Array) => xs.length, data).result()).toBe(3);
    process.kill(victim.pid, 'SIGKILL');
    await expect(data.result()).rejects.toThrow(/Scattered data '.*' was lost with worker .*cannot be recomputed/);
    await expect(shared.client.submitWith({ pure: false }, (xs: Int32Array) => xs.length, data).result()).rejects.toThrow(/cannot be recomputed/);
    await until(() => shared.client.workers.length === 2, 20_000, 'a replacement worker');
  });

  it('fails a task that kills every worker that runs it with KilledWorkerError, and stays usable', async () => {
    await shared.client.waitForWorkers(2);
    const f = shared.client.submit(function crash() {
      process.exit(3);
    });
    const err = await f.exception();
    expect(err?.name).toBe('KilledWorkerError');
    expect(err?.message).toContain(f.key);
    // allowed-failures 3 (the default, as in Dask): the fourth death fails it.
    expect(err?.message).toContain('4 times');
    await until(() => shared.client.workers.length === 2, 20_000, 'replacement workers');
    expect(await shared.client.submit((x: number) => x * 3, 14).result()).toBe(42);
  });

  it('detects a hung worker by its missing heartbeats and recomputes its work', async () => {
    const c2 = await LocalCluster.start({
      nWorkers: 2,
      workerTtlMs: 1500,
      // Heartbeats often; and a fetch from the hung worker gives up soon, so its reader is redone.
      env: { PDASK_DISTRIBUTED__WORKER__HEARTBEAT_MS: '200', PDASK_DISTRIBUTED__COMM__TIMEOUTS__REQUEST_MS: '3000' },
    });
    const cl2 = await Client.connect(c2, { setAsDefault: false });
    const stopped = c2.workerPids[0];
    try {
      const running = cl2.compute(tree(200, 5));
      await new Promise((r) => setTimeout(r, 200));
      process.kill(stopped, 'SIGSTOP');
      expect(await running.result()).toBe(treeSum(200));
    } finally {
      // Its nanny kills it once the scheduler drops it (it may be gone already).
      try {
        process.kill(stopped, 'SIGKILL');
      } catch {
        // already killed by its nanny
      }
      await cl2.close();
      await c2.close();
    }
  });
});

describe('clients', () => {
  it('releases the work of a client that disconnects mid-computation', async () => {
    const other = await Client.connect(shared.cluster, { setAsDefault: false });
    const fs = other.map((i: number) => new Float64Array(10_000).fill(i), Array.from({ length: 50 }, (_, i) => i));
    await other.gather(fs.slice(0, 5));
    const log = join(mkdtempSync(join(tmpdir(), 'pdask-left-')), 'ran.txt');
    writeFileSync(log, '');
    // 100 tasks of 50 ms on 2 workers (one at a time each): 2.5 s of work, unless cancelled.
    const logged = (ms: number, i: number, file: string) =>
      new Promise<number>((r) =>
        setTimeout(() => {
          (process.getBuiltinModule('node:fs') as typeof import('node:fs')).appendFileSync(file, `${i}\n`);
          r(i);
        }, ms),
      );
    const pending = Array.from({ length: 100 }, (_, i) => other.submitWith({ pure: false }, logged, 50, i, log));
    await new Promise((r) => setTimeout(r, 100));
    await other.close();
    // Everything it held or asked for is released: no worker keeps any of its results.
    await until(
      async () => {
        const holders = await shared.client.whoHas([...fs, ...pending]);
        return [...holders.values()].every((h) => h.length === 0);
      },
      20_000,
      'the departed client’s keys to be released',
    );
    // Its queued tasks were cancelled: none starts after the release reached the workers.
    const ran = () => readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
    await new Promise((r) => setTimeout(r, 200));
    const settled = ran();
    await new Promise((r) => setTimeout(r, 600));
    expect(ran()).toBe(settled);
    expect(settled).toBeLessThan(20);
    expect((await shared.client.schedulerInfo()).clients).toBe(1);
    expect(await shared.client.submit((a: number, b: number) => a * b, 6, 7).result()).toBe(42);
  });
});

describe('security and hostile input', () => {
  it('refuses a client and a worker with a wrong token', async () => {
    await expect(Client.connect(shared.cluster.schedulerAddress, { token: 'wrong', setAsDefault: false })).rejects.toThrow(ConnectionRefusedError);
    await expect(Client.connect(shared.cluster.schedulerAddress, { token: 'wrong', setAsDefault: false })).rejects.toThrow(/authentication token/);
    await expect(Worker.start({ scheduler: shared.cluster.schedulerAddress, token: shared.cluster.token.slice(1) })).rejects.toThrow(/401/);
    // Workers also refuse peers and clients without the token.
    const w = shared.client.workers[0];
    await expect(Client.connect(w.address, { token: 'wrong', setAsDefault: false })).rejects.toThrow(ConnectionRefusedError);
    expect(shared.client.workers.length).toBe(2);
  });

  it('survives garbage bytes, malformed frames and malformed messages', async () => {
    const port = Number(shared.cluster.schedulerAddress.split(':').pop());
    // 1. Raw garbage on the TCP port.
    await new Promise<void>((resolve) => {
      const s = tcpConnect(port, '127.0.0.1', () => {
        s.write(Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a, 0x0d, 0x0a, 0x0d]));
        s.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
        s.write(Buffer.alloc(4096, 0xab));
      });
      s.on('error', () => resolve());
      s.on('close', () => resolve());
      setTimeout(() => {
        s.destroy();
        resolve();
      }, 500);
    });
    // 2. An authenticated WebSocket sending a text frame, a non-msgpack binary frame, and valid
    //    msgpack with malformed messages.
    const ws = new WebSocket(`ws://127.0.0.1:${port}/?role=client`, { headers: { 'x-pdask-token': shared.cluster.token } });
    await new Promise((r) => ws.once('open', r));
    const replies: unknown[] = [];
    ws.on('message', (d) => replies.push(d));
    const closed = new Promise((r) => ws.once('close', r));
    ws.send(encodeValue([{ op: 'register-client', name: 'hostile' }]));
    for (const bad of [
      [{ op: 'update-graph', gid: 1, nodes: 'not a list' }],
      [{ op: 'update-graph', gid: 2, nodes: [[0, 'k', 99]], wanted: ['k'] }],
      [{ op: 'update-graph', gid: 3, nodes: [[0, 'k2', 0]], ops: [[0, { k: 'src', src: 42 }]] }],
      [{ op: 'update-graph', gid: 4, nodes: [[2, 'f', [[2, 'g', [], []]], []]] }],
      [{ op: 'update-graph', gid: 5, nodes: [[0, 'k5', 0]], wanted: ['k5'], wantedAll: true }],
      [{ op: 'release-keys', keys: [1, 2, 3] }],
      [{ op: 'who-has', id: 5, keys: 'x' }],
      [{ op: 'no-such-op' }],
      [42, null, 'x', { op: 7 }],
    ]) {
      ws.send(encodeValue(bad));
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(replies.length).toBeGreaterThan(0);
    ws.send(Buffer.from([0xc1, 0xc1, 0xc1]));
    await closed;
    // The cluster is intact and computes correctly.
    expect(shared.client.workers.length).toBe(2);
    expect(await shared.client.submit((x: number) => x + 1, 99).result()).toBe(100);
    expect((await shared.client.schedulerInfo()).clients).toBe(1);
  });
});
