import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { encodeValue } from '../src/index';
import { decodeMessage } from '../src/protocol/codec';
import { ProtocolError } from '../src/protocol/messages';
import { clientToScheduler, parseReply, schedulerToClient, workerToScheduler } from '../src/protocol/wire';
import { useCluster } from './helpers';

describe('the wire protocol, checked at the boundary', () => {
  it('names the direction, the unknown op and the ops it knows', () => {
    expect(() => workerToScheduler.parse({ op: 'update-graph' })).toThrow(ProtocolError);
    expect(() => workerToScheduler.parse({ op: 'update-graph' })).toThrow("unknown worker message 'update-graph' (known: done, heartbeat, stolen, closing)");
  });

  it('names the message and the field that is wrong, and what it must be', () => {
    expect(() => workerToScheduler.parse({ op: 'done', ok: [], failed: [], missing: [1] })).toThrow("'done' message: 'missing' must hold keys (strings), got number");
    expect(() => clientToScheduler.parse({ op: 'update-graph', gid: '1', nodes: [] })).toThrow("'update-graph' message: 'gid' must be a finite number, got string");
    expect(() => clientToScheduler.parse({ op: 'story', id: 1, key: 42 })).toThrow("'story' message: 'key' must be a string, got number");
    expect(() => schedulerToClient.parse({ op: 'memory', keys: ['a'], holders: ['tcp://127.0.0.1:1'], addresses: [] })).toThrow(
      "'memory' message: 'holders'[0] must be an index into 'addresses' or a list of them, got string",
    );
    expect(() => schedulerToClient.parse({ op: 'memory', keys: ['a'], holders: [0], addresses: [3] })).toThrow("'memory' message: 'addresses'[0] must be a string, got number");
    expect(() => workerToScheduler.parse({ op: 'heartbeat', metrics: { rss: 1 } })).toThrow("'heartbeat' message: 'metrics'.managedBytes must be a finite number, got undefined");
  });

  it('reads left-out lists as empty and drops fields the protocol does not declare', () => {
    const m = workerToScheduler.parse({ op: 'done', ok: ['k', 8, 1], smuggled: 'x' });
    expect(m).toEqual({ op: 'done', ok: ['k', 8, 1], failed: [], missing: [], added: [] });
    const g = clientToScheduler.parse({ op: 'update-graph', gid: 3, nodes: [[4, 'k']], wanted: ['k'] });
    expect(g).toEqual({ op: 'update-graph', gid: 3, ops: [], nodes: [[4, 'k']], wanted: ['k'], restrictions: [] });
  });

  it('checks replies against the request they answer', () => {
    expect(parseReply('who-has', { op: 'reply', id: 1, holders: [['tcp://127.0.0.1:1']] })).toEqual({ holders: [['tcp://127.0.0.1:1']] });
    expect(() => parseReply('get-data', { op: 'reply', id: 1, values: [1], missing: 'k' })).toThrow("reply to 'get-data': 'missing' must be an array, got string");
    expect(() =>
      parseReply('story', { op: 'reply', id: 1, entries: [{ seq: 1, run: 1, key: 'k', from: 'released', to: 'flying', cause: 'release', time: 0 }] }),
    ).toThrow("reply to 'story': 'entries'[0].to must be one of released, waiting, ready, processing, memory, erred, forgotten, got flying");
  });
});

describe('a scheduler answering messages that break the protocol', () => {
  const shared = useCluster();

  it('answers each with an error naming the field, and keeps computing', async () => {
    const port = Number(shared.cluster.schedulerAddress.split(':').pop());
    const ws = new WebSocket(`ws://127.0.0.1:${port}/?role=client`, { headers: { 'x-pdask-token': shared.cluster.token } });
    await new Promise((r) => ws.once('open', r));
    const got: Record<string, unknown>[] = [];
    ws.on('message', (d: Buffer) => got.push(...(decodeMessage([new Uint8Array(d)]) as Record<string, unknown>[])));
    ws.send(encodeValue([{ op: 'register-client', name: 'rude' }]));
    ws.send(encodeValue([{ op: 'release-keys', keys: [1, 2] }]));
    ws.send(encodeValue([{ op: 'who-has', id: 7, keys: 'x' }]));
    ws.send(encodeValue([{ op: 'no-such-op' }]));
    const t0 = Date.now();
    while (got.filter((m) => m.op !== 'registered').length < 3 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 20));
    ws.close();
    const answers = got.filter((m) => m.op !== 'registered');
    expect(answers).toEqual([
      { op: 'error', message: "release-keys: 'release-keys' message: 'keys' must hold keys (strings), got number" },
      { op: 'reply', id: 7, error: "'who-has' message: 'keys' must be an array, got string" },
      { op: 'error', message: "no-such-op: unknown client message 'no-such-op' (known: update-graph, release-keys, scatter, who-has, scheduler-info, story, restart, shutdown, heartbeat)" },
    ]);
    expect(await shared.client.submit((x: number) => x * 2, 21).result()).toBe(42);
  });
});
