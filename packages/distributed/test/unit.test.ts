import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataStore, decodeValue, encodeValue, parseMemoryLimit, parseResources } from '../src/index';
import { decodeNode, fusedMemberKey, OpInterner, runNode, TaskFailure, TaskState, type GraphNode, type OpRef } from '@pdask/core';
import { decodeGraphNode, WireError } from '../src/protocol/nodes';
import { encodeTask } from '../src/protocol/tasks';

describe('the wire codec', () => {
  it('round-trips typed arrays as binary, and Maps, Sets, undefined, bigints, dates', () => {
    const v = {
      f64: new Float64Array([1.5, -2, Number.NaN]),
      i32: new Int32Array([1, -2, 3]),
      u8: new Uint8Array([255, 0]),
      big: new BigInt64Array([-(2n ** 63n)]),
      m: new Map<unknown, unknown>([[1, 'a'], ['b', new Set([2])]]),
      u: undefined,
      n: 2n ** 100n,
      d: new Date(86_400_000),
    };
    const back = decodeValue(encodeValue(v)) as typeof v;
    expect(back.f64).toBeInstanceOf(Float64Array);
    expect([...back.f64]).toEqual([1.5, -2, Number.NaN]);
    expect(back.i32).toEqual(new Int32Array([1, -2, 3]));
    expect(back.u8).toEqual(new Uint8Array([255, 0]));
    expect(back.big[0]).toBe(-(2n ** 63n));
    expect(back.m).toEqual(new Map<unknown, unknown>([[1, 'a'], ['b', new Set([2])]]));
    expect(back.n).toBe(2n ** 100n);
    expect(back.d.getTime()).toBe(86_400_000);
    // 1,000 doubles take 8,000 bytes plus a small header: no text encoding.
    expect(encodeValue(new Float64Array(1000)).length).toBeLessThan(8_020);
    expect(decodeValue(encodeValue(undefined))).toBeUndefined();
  });

  it('decodes views at any alignment (frames arrive at arbitrary offsets)', () => {
    const bytes = encodeValue(new Float64Array([1, 2, 3]));
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(decodeValue(shifted.subarray(3))).toEqual(new Float64Array([1, 2, 3]));
  });

  it('refuses malformed graph nodes with WireError', () => {
    for (const bad of [42, [], [0, 7], [9, 'k'], [0, 'k', 99], [0, 'k', 0, 7, 1], [2, 'k', 'x', []], [3, 'k', 5]]) {
      expect(() => decodeGraphNode(bad, [{ k: 'src', src: '(x) => x', name: 'f' }])).toThrow(WireError);
    }
    const ok = decodeGraphNode([0, 'k', 0, 0, 5, 1, 'other'], [{ k: 'src', src: '(x, y) => x', name: 'f' }]);
    expect(ok.deps).toEqual(['other']);
  });
});

describe('tasks sent to workers', () => {
  it("use core's compact encoding with ids local to the task, and name a fused member that fails", () => {
    const add: OpRef = { k: 'src', src: '(a, b) => a + b', name: 'add' };
    const half: OpRef = { k: 'src', src: '(x) => { if (x < 0) throw new Error("negative"); return x / 2 }', name: 'half' };
    // fused: s = add(x, y); out = half(s) — reading the graph keys x and y.
    const node: GraphNode = {
      kind: 'fused',
      key: 'out',
      deps: ['x', 'y'],
      members: [
        { kind: 'task', key: 's', op: add, args: [{ t: 'ref', key: 'x' }, { t: 'ref', key: 'y' }], deps: ['x', 'y'] },
        { kind: 'task', key: 'out', op: half, args: [{ t: 'ref', key: 's' }], deps: ['s'] },
      ],
    };
    const ts = new TaskState('out', node, 0);
    ts.deps.push(new TaskState('x', { kind: 'data', key: 'x', value: 0, deps: [] }, 0), new TaskState('y', { kind: 'data', key: 'y', value: 0, deps: [] }, 0));
    const interner = new OpInterner();
    const [enc, keys] = encodeTask(ts, interner);
    expect(keys).toEqual(['out', 'x', 'y']);
    const ops: OpRef[] = [];
    for (const [id, op] of interner.takeFresh() ?? []) ops[id] = op;
    const decoded = decodeNode(enc, ops);
    const values: Record<string, number> = { x: 7, y: 5 };
    expect(runNode(decoded, (id) => values[keys[id]])).toBe(6);
    values.x = -20;
    let failure: TaskFailure<number> | undefined;
    try {
      runNode(decoded, (id) => values[keys[id]]);
    } catch (e) {
      failure = e as TaskFailure<number>;
    }
    // The tail member threw: its id maps back to the node's key.
    expect(failure?.key).toBe(0);
    expect(fusedMemberKey(node, failure!.key)).toBe('out');
  });
});

describe('CLI values', () => {
  it('parses memory limits and resources like Dask', () => {
    expect(parseMemoryLimit('0')).toBe(0);
    expect(parseMemoryLimit('4GB')).toBe(4e9);
    expect(parseMemoryLimit('512MiB')).toBe(512 * 2 ** 20);
    expect(parseMemoryLimit('1e6')).toBe(1e6);
    expect(() => parseMemoryLimit('lots')).toThrow(/Invalid memory limit 'lots'/);
    expect(parseResources('GPU=2 MEM=10e9')).toEqual({ GPU: 2, MEM: 1e10 });
    expect(parseResources('GPU=2,FPGA=1')).toEqual({ GPU: 2, FPGA: 1 });
    expect(() => parseResources('GPU')).toThrow(/expected NAME=AMOUNT/);
  });
});

describe('spilling', () => {
  it('spills least recently used results past the target and reads them back intact', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pdask-spill-')), 'w');
    const MB = 2 ** 20;
    const store = new DataStore({ limit: 10 * MB, target: 0.6, directory: dir });
    for (let i = 0; i < 10; i++) store.set(`k${i}`, new Float64Array(MB / 8).fill(i), MB);
    // 10 MiB held against a 6 MiB target: the 4 oldest went to disk.
    expect(store.managedBytes).toBe(6 * MB);
    expect(store.spilledBytes).toBe(4 * MB);
    expect(store.spilledKeys).toBe(4);
    expect(readdirSync(dir).length).toBe(4);
    const back = store.get('k0') as Float64Array;
    expect(back.length).toBe(MB / 8);
    expect(back.every((v) => v === 0)).toBe(true);
    // Reading k0 back made it recent; the next oldest (k4) was spilled in its place.
    expect(store.spilledKeys).toBe(4);
    expect(store.has('k4')).toBe(true);
    for (let i = 0; i < 10; i++) expect((store.get(`k${i}`) as Float64Array)[7]).toBe(i);
    store.delete('k1');
    expect(store.has('k1')).toBe(false);
    store.dispose();
  });
});
