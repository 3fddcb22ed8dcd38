/**
 * Issue 19, item 5: values larger than one WebSocket message may be (1 GiB) travel as shards
 * (config `distributed.comm.shard-bytes`). Before, a client gathering a 1.1 GiB value failed after
 * 50 retries ("their holders keep disappearing"): the receiver closed each connection at its
 * 1 GiB message limit.
 */
import { config } from '@pdask/core';
import { describe, expect, it } from 'vitest';
import { splitIntoShards, ShardAssembler } from '../src/comm/shards';
import { connect, listen, type Comm, type Message } from '../src/comm/transport';
import { encodeMessage } from '../src/protocol/codec';
import { useCluster } from './helpers';

/** Byte i is i % 251 (251 is prime: no power-of-two shard boundary lines up with the pattern). */
const patternSum = (n: number): number => {
  const full = Math.floor(n / 251);
  const rest = n % 251;
  return full * ((250 * 251) / 2) + ((rest - 1) * rest) / 2;
};

function filled(n: number): Uint8Array {
  const a = new Uint8Array(n);
  for (let i = 0; i < n; i++) a[i] = i % 251;
  return a;
}

/** Index of the first byte not matching the pattern, or -1. */
function firstWrong(a: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== i % 251) return i;
  return -1;
}

describe('shards', () => {
  it('splitIntoShards cuts the bytes into pieces of at most the shard size, in order, without copying', () => {
    const parts = encodeMessage({ a: filled(10_007), b: new Float64Array([1.5, 2.5, 3.5]) });
    const msgs = splitIntoShards(parts, 1000);
    const sizes = msgs.map((m) => m.reduce((s, f) => s + f.byteLength, 0));
    const total = parts.reduce((s, p) => s + p.byteLength, 0);
    expect(sizes.reduce((s, x) => s + x, 0)).toBe(total);
    expect(sizes.slice(0, -1).every((s) => s === 1000)).toBe(true);
    expect(msgs.length).toBe(Math.ceil(total / 1000));
    // Views of the parts' own memory.
    expect(msgs.flat().every((f) => parts.some((p) => p.buffer === f.buffer))).toBe(true);
    // Reassembled: the same parts, byte for byte.
    const asm = new ShardAssembler();
    let whole: Uint8Array[] | undefined;
    msgs.forEach((m, i) => {
      whole = asm.push(m);
      expect(whole === undefined).toBe(i < msgs.length - 1);
    });
    expect(whole!.map((p) => Buffer.from(p).toString('hex'))).toEqual(parts.map((p) => Buffer.from(p).toString('hex')));
  });

  it('more bytes than the prefix announced is an error, not a silent mix of two messages', () => {
    const parts = encodeMessage([filled(5000)]);
    const msgs = splitIntoShards(parts, 1000);
    const asm = new ShardAssembler();
    for (const m of msgs.slice(0, -1)) asm.push(m);
    expect(() => asm.push([...msgs[msgs.length - 1], new Uint8Array(3)])).toThrow(/more bytes than its prefix announced/);
  });

  it('a bad shard size is refused by the name of its setting', async () => {
    const l = await listen({ token: 't', onConnection: () => undefined });
    const scope = config.set({ 'distributed.comm.shard-bytes': 'lots' });
    try {
      await expect(connect(l.address, { token: 't', role: 'client' })).rejects.toThrow(/distributed\.comm\.shard-bytes.*'lots'/);
      await expect(listen({ token: 't', onConnection: () => undefined })).rejects.toThrow(/distributed\.comm\.shard-bytes.*'lots'/);
    } finally {
      scope.restore();
      await l.close();
    }
    const zero = config.set({ 'distributed.comm.shard-bytes': 0 });
    try {
      await expect(listen({ token: 't', onConnection: () => undefined })).rejects.toThrow(/distributed\.comm\.shard-bytes.*from 1 byte to 1 GiB/);
    } finally {
      zero.restore();
    }
  });

  it('messages larger than a shard arrive whole and in order with the messages around them, both ways', async () => {
    // A small shard so that CI exercises sharding without gigabytes (the >1 GiB case is below).
    const scope = config.set({ 'distributed.comm.shard-bytes': 4096 });
    const got: { side: string; m: Message }[] = [];
    let server: Comm | undefined;
    const l = await listen({
      token: 't',
      onConnection: (c) => {
        server = c;
        c.onMessage((m) => got.push({ side: 'server', m }));
      },
    });
    try {
      const client = await connect(l.address, { token: 't', role: 'client' });
      client.onMessage((m) => got.push({ side: 'client', m }));
      let wsMessages = 0;
      client.ws.on('message', () => wsMessages++);
      const big = filled(1_000_003);
      const floats = Float64Array.from({ length: 12_345 }, (_, i) => i / 7);
      client.send({ op: 'first' });
      client.flush();
      client.send({ op: 'big', big, floats });
      client.flush();
      client.send({ op: 'after' });
      const until = async (n: number) => {
        const t0 = Date.now();
        while (got.length < n) {
          if (Date.now() - t0 > 10_000) throw new Error(`only ${got.length} of ${n} messages arrived`);
          await new Promise((r) => setTimeout(r, 5));
        }
      };
      await until(3);
      expect(got.map((g) => `${g.side}:${g.m.op}`)).toEqual(['server:first', 'server:big', 'server:after']);
      const m = got[1].m as Message & { big: Uint8Array; floats: Float64Array };
      expect(m.big.length).toBe(1_000_003);
      expect(firstWrong(m.big)).toBe(-1);
      expect(Array.from(m.floats)).toEqual(Array.from(floats));
      // The other way (server to client: unmasked frames), echoing the received views.
      server!.send({ op: 'echo', big: m.big, floats: m.floats });
      server!.send({ op: 'tail' });
      await until(5);
      expect(got.slice(3).map((g) => `${g.side}:${g.m.op}`)).toEqual(['client:echo', 'client:tail']);
      const e = got[3].m as Message & { big: Uint8Array; floats: Float64Array };
      expect(firstWrong(e.big)).toBe(-1);
      expect(e.big.length).toBe(1_000_003);
      expect(Array.from(e.floats)).toEqual(Array.from(floats));
      // The echo (~1.1 MB) came as many WebSocket messages of at most 4096 bytes.
      expect(wsMessages).toBeGreaterThan((1_000_003 + 8 * 12_345) / 4096);
      client.close();
    } finally {
      scope.restore();
      await l.close();
    }
  });
});

/**
 * The real size: 1.1 GiB, over the 1 GiB a WebSocket message may have here. It needs ~5 GiB of
 * memory (the value on one worker, a copy on the other, one in this process) and took 40 s on the
 * shared 2-core machine, so it runs in CI (CI=true) and on request (the sharding above is the same code path).
 */
const BIG = Math.round(1.1 * 2 ** 30);
const HUGE = process.env.PDASK_TEST_HUGE === '1' || process.env.CI === 'true';
if (!HUGE) {
  console.warn(
    'SKIPPED: the 1.1 GiB value test (needs ~5 GiB of memory and ~40 s); run it with ' +
      'PDASK_TEST_HUGE=1 npx vitest run packages/distributed/test/large-values.test.ts (CI runs it)',
  );
}

describe.skipIf(!HUGE)('a 1.1 GiB value on a 2-worker cluster', () => {
  const shared = useCluster({ setAsDefault: false });

  it('is gathered by the client, and read by a task on the other worker', async () => {
    const [a, b] = shared.client.workers;
    const make = (n: number) => {
      const x = new Uint8Array(n);
      for (let i = 0; i < n; i++) x[i] = i % 251;
      return x;
    };
    const sum = (x: Uint8Array) => {
      let s = 0;
      for (let i = 0; i < x.length; i++) s += x[i];
      return { s, n: x.length, pid: process.pid };
    };
    const x = shared.client.submitWith({ workers: [a.address], pure: false }, make, BIG);
    const y = shared.client.submitWith({ workers: [b.address], pure: false }, sum, x);
    expect(await y.result()).toEqual({ s: patternSum(BIG), n: BIG, pid: b.pid });
    y.release();
    let v: Uint8Array | undefined = await x.result();
    expect(v.length).toBe(BIG);
    expect(firstWrong(v)).toBe(-1);
    v = undefined;
    x.release();
  }, 120_000);
});
