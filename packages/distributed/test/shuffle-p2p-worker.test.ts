/**
 * A worker's side of the p2p shuffle without processes (worker-shuffles.ts), two workers wired
 * through a fake peer pool: pieces of a run not announced yet wait for it, pieces of an older run
 * are dropped, an output is read (and kept) in input order, pieces past the budget are spilled to
 * the local directory and removed when the run ends, a transfer to a lost peer waits for the
 * restart, and a peer that could not store its pieces fails the transfer.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { config, type TransferSpec } from '@pdask/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { PeerPool } from '../src/comm/peers';
import { RemoteError } from '../src/comm/rpc';
import { WorkerShuffles } from '../src/shuffle/worker-shuffles';

const dir = mkdtempSync(join(tmpdir(), 'pdask-shuffle-worker-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Fault = 'lost' | 'refused' | undefined;

function pair() {
  const workers = new Map<string, WorkerShuffles>();
  const held: (() => void)[] = [];
  const net = { fault: undefined as Fault, hold: false };
  const pool = (from: string): PeerPool =>
    ({
      request: (to: string, msg: never) =>
        new Promise((resolve, reject) => {
          const deliver = (): void => {
            if (net.fault === 'lost') return reject(new Error(`Connection to ${to} lost`));
            if (net.fault === 'refused') return reject(new RemoteError('disk full'));
            try {
              resolve({ stored: workers.get(to)!.onPut({ ...(msg as object), id: 1 } as never) });
            } catch (e) {
              reject(e);
            }
          };
          if (net.hold) held.push(deliver);
          else deliver();
          void from;
        }),
    }) as unknown as PeerPool;
  for (const name of ['a', 'b']) workers.set(name, new WorkerShuffles({ self: () => name, peers: pool(name), directory: join(dir, name) }));
  return { a: workers.get('a')!, b: workers.get('b')!, net, held };
}

const spec = (input: number): TransferSpec => ({ id: 'sh', input, ninputs: 2, nout: 4 });
const pieces = (input: number): Float64Array[] => [0, 1, 2, 3].map((o) => new Float64Array([input, o]));
const run = (n: number) => ({ op: 'shuffle-run' as const, shuffle: 'sh', run: n, workers: ['a', 'b'] });

describe('WorkerShuffles', () => {
  it('sends each owner its pieces; pieces ahead of the announcement wait; an output is read in input order, kept', async () => {
    const { a, b } = pair();
    a.onRun(run(1));
    // b has not heard of run 1 yet: a's pieces for outputs 2 and 3 wait there.
    expect(await a.transfer(spec(1), pieces(1))).toBe(1);
    b.onRun(run(1));
    expect(await b.transfer(spec(0), pieces(0))).toBe(1);
    for (const [w, o] of [[a, 0], [a, 1], [b, 2], [b, 3]] as const) {
      for (let i = 0; i < 2; i++) expect((w.unpack('sh', 1, o, 2) as Float64Array[]).map((p) => [...p])).toEqual([[0, o], [1, o]]);
    }
    expect(() => a.unpack('sh', 1, 2, 2)).toThrow(/output 2 has no piece from input\(s\) 0, 1/);
    expect(() => a.unpack('sh', 7, 0, 2)).toThrow(/run 7 is not current/);
  });

  it('a newer run replaces the old one, whose late pieces are dropped; the end of a run drops it', async () => {
    const { a, b, net, held } = pair();
    a.onRun(run(1));
    b.onRun(run(1));
    net.hold = true;
    const late = a.transfer(spec(0), pieces(9));
    a.onRun(run(2));
    b.onRun(run(2));
    net.hold = false;
    for (const d of held) d();
    await late;
    expect(() => b.unpack('sh', 2, 3, 2)).toThrow(/output 3 has no piece from input\(s\) 0, 1/);
    await a.transfer(spec(0), pieces(0));
    await b.transfer(spec(1), pieces(1));
    expect((b.unpack('sh', 2, 3, 2) as Float64Array[]).map((p) => p[0])).toEqual([0, 1]);
    b.onEnd('sh', 2);
    expect(() => b.unpack('sh', 2, 3, 2)).toThrow(/not current/);
    // An announcement of the ended run (or older) is ignored.
    b.onRun(run(2));
    expect(() => b.unpack('sh', 2, 3, 2)).toThrow(/not current/);
  });

  it("spills past config 'shuffle.memory-budget' to the local directory, reads back exactly, removes at the run's end", async () => {
    const { a, b } = pair();
    const scope = config.set({ 'shuffle.memory-budget': 20 });
    try {
      a.onRun(run(1));
      b.onRun(run(1));
    } finally {
      scope.restore();
    }
    await a.transfer(spec(0), pieces(0));
    await b.transfer(spec(1), pieces(1));
    expect(a.spilledFiles + b.spilledFiles).toBeGreaterThan(0);
    expect(readdirSync(join(dir, 'a')).filter((n) => n.startsWith('pdask-shuffle-')).length).toBe(1);
    expect((a.unpack('sh', 1, 1, 2) as Float64Array[]).map((p) => [...p])).toEqual([[0, 1], [1, 1]]);
    expect((b.unpack('sh', 1, 2, 2) as Float64Array[]).map((p) => [...p])).toEqual([[0, 2], [1, 2]]);
    a.onEnd('sh', 1);
    b.clear();
    expect(readdirSync(join(dir, 'a'))).toEqual([]);
    expect(readdirSync(join(dir, 'b'))).toEqual([]);
  });

  it('a transfer to a lost peer waits for the restart (its task is cancelled by then); a refusal fails it at once', async () => {
    const { a, net } = pair();
    a.onRun(run(1));
    net.fault = 'lost';
    let settled: string | undefined;
    const t = Promise.resolve(a.transfer(spec(0), pieces(0))).then(
      () => (settled = 'resolved'),
      (e: Error) => (settled = e.message),
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBeUndefined();
    a.onRun(run(2));
    await t;
    expect(settled).toMatch(/worker b did not store the pieces of input 0 \(Connection to b lost\); the run was dropped/);
    net.fault = 'refused';
    await expect(a.transfer(spec(1), pieces(1))).rejects.toThrow(/worker b could not store the pieces of input 1: disk full/);
  });
});
