import { fromModule } from '@pdask/core';
import { tableFromArrays, type Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { encodeValue } from '../src/index';
import { decodeMessage, encodeMessage } from '../src/protocol/codec';
import { useCluster } from './helpers';

function roundTrip(v: unknown): unknown {
  return decodeMessage(encodeMessage(v));
}

describe('framed messages: msgpack header plus binary frames', () => {
  it('round-trips nested typed arrays (views with offsets too), ArrayBuffers, Arrow tables and plain values', () => {
    const base = new Float64Array([0, 1.5, -2, Number.NaN, 4, 5]);
    const i32 = new Int32Array([7, -8, 9, 10]);
    const bytes = new Uint8Array([1, 2, 3, 4, 5, 6, 7]);
    const ab = new Uint8Array([9, 8, 7]).buffer;
    const table = tableFromArrays({ x: new Float64Array([1, 2, 3]), n: new Int32Array([4, 5, 6]) });
    const msg = [
      {
        op: 'result',
        key: 'k',
        plain: { a: 1, s: 'text', list: [true, null, 2.5], big: 2n ** 70n, u: undefined, m: new Map([['q', 1]]) },
        data: { f64: base, sub: base.subarray(2, 5), i32, i32sub: i32.subarray(1, 3), u8sub: bytes.subarray(3), ab, table },
        nested: [[new Uint8Array(0), new Set([new Int32Array([1])])]],
      },
    ];
    const parts = encodeMessage(msg);
    // The typed arrays' frames are views over their own memory: not copied on the way out.
    expect(parts.some((p) => p.buffer === base.buffer && p.byteOffset === 16 && p.byteLength === 24)).toBe(true);
    const back = decodeMessage(parts) as typeof msg;
    const m = back[0];
    expect(m.op).toBe('result');
    expect(m.plain.a).toBe(1);
    expect(m.plain.list).toEqual([true, null, 2.5]);
    expect(m.plain.big).toBe(2n ** 70n);
    expect(m.plain.m).toEqual(new Map([['q', 1]]));
    expect(m.data.f64).toBeInstanceOf(Float64Array);
    expect([...m.data.f64]).toEqual([0, 1.5, -2, Number.NaN, 4, 5]);
    expect(m.data.sub).toBeInstanceOf(Float64Array);
    expect([...m.data.sub]).toEqual([-2, Number.NaN, 4]);
    expect(m.data.i32).toEqual(new Int32Array([7, -8, 9, 10]));
    expect(m.data.i32sub).toEqual(new Int32Array([-8, 9]));
    expect(m.data.u8sub).toBeInstanceOf(Uint8Array);
    expect([...m.data.u8sub]).toEqual([4, 5, 6, 7]);
    expect(m.data.ab).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(m.data.ab)]).toEqual([9, 8, 7]);
    const t = m.data.table as Table;
    expect(t.numRows).toBe(3);
    expect([...t.getChild('x')!.toArray()]).toEqual([1, 2, 3]);
    expect([...t.getChild('n')!.toArray()]).toEqual([4, 5, 6]);
    expect(t.getChild('n')!.toArray()).toBeInstanceOf(Int32Array);
    expect(m.nested[0][0]).toEqual(new Uint8Array(0));
    expect(m.nested[0][1]).toEqual(new Set([new Int32Array([1])]));
  });

  it('rebuilds typed arrays as views over the received bytes, copying only when misaligned', () => {
    const parts = encodeMessage({ op: 'x', v: new Float64Array([1, 2, 3]) });
    expect(parts.length).toBe(2);
    // Aligned frame: a view over the very bytes received.
    const aligned = new Uint8Array(new ArrayBuffer(32), 8, 24);
    aligned.set(parts[1]);
    const got = decodeMessage([parts[0], aligned]) as { v: Float64Array };
    expect(got.v.buffer).toBe(aligned.buffer);
    expect(got.v.byteOffset).toBe(8);
    // Misaligned frame: copied into a fresh buffer, same values.
    const odd = new Uint8Array(new ArrayBuffer(32), 3, 24);
    odd.set(parts[1]);
    const copied = decodeMessage([parts[0], odd]) as { v: Float64Array };
    expect(copied.v.buffer).not.toBe(odd.buffer);
    expect(copied.v).toEqual(new Float64Array([1, 2, 3]));
    // The same bytes cut differently (one joined buffer, or other fragment boundaries) decode too.
    const joined = Buffer.concat(parts);
    expect((decodeMessage([joined]) as { v: Float64Array }).v).toEqual(new Float64Array([1, 2, 3]));
    expect((decodeMessage([joined.subarray(0, 5), joined.subarray(5)]) as { v: Float64Array }).v).toEqual(new Float64Array([1, 2, 3]));
  });

  it('does not put a large typed array through msgpack: the header stays tiny', () => {
    const big = new Float64Array(1e6).map((_, i) => i * 0.5);
    const parts = encodeMessage([{ op: 'result', key: 'big', value: big }]);
    expect(parts.length).toBe(2);
    expect(parts[0].byteLength).toBeLessThan(1024);
    expect(parts[1].buffer).toBe(big.buffer); // the frame is the array's own memory
    expect(parts[1].byteLength).toBe(8e6);
    const back = decodeMessage(parts) as [{ value: Float64Array }];
    expect(back[0].value.length).toBe(1e6);
    expect(back[0].value[123_457]).toBe(123_457 * 0.5);
  });

  it('reads a plain msgpack value (encodeValue) as a message too, and refuses malformed ones', () => {
    expect(decodeMessage([encodeValue([{ op: 'x', v: new Int32Array([3]) }])])).toEqual([{ op: 'x', v: new Int32Array([3]) }]);
    const good = Buffer.concat(encodeMessage({ op: 'x', v: new Int32Array([1, 2]) }));
    const huge = Buffer.from([0xc1, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0]);
    for (const bad of [[], [new Uint8Array([0xc1, 0xc1, 0xc1])], [good.subarray(0, good.length - 1)], [huge], [Buffer.from([0xc1]), Buffer.from([0xc1])]]) {
      expect(() => decodeMessage(bad)).toThrow();
    }
  });
});

describe('Arrow tables and typed arrays through a cluster', () => {
  const shared = useCluster();

  it('a task returning an Arrow Table and another returning a Float64Array come back equal', async () => {
    const makeTable = fromModule<(cols: Record<string, unknown>) => Table>('apache-arrow', 'tableFromArrays');
    const values = new Float64Array(100_000).map((_, i) => i / 4);
    const tableF = shared.client.submit(makeTable, { v: values, id: new Int32Array([...Array(100_000).keys()]) });
    const arrayF = shared.client.submit((n: number) => new Float64Array(n).map((_, i) => i * 1.5), 50_000);
    // A task reading another worker's data: the Table travels worker to worker too.
    const sumF = shared.client.submit((t: { getChild(n: string): { toArray(): Float64Array } }) => t.getChild('v').toArray().reduce((a, b) => a + b, 0), tableF);
    const [table, array, sum] = await Promise.all([tableF.result(), arrayF.result(), sumF.result()]);
    expect(table.numRows).toBe(100_000);
    expect(table.getChild('v')!.toArray()).toEqual(values);
    expect(table.getChild('id')!.get(99_999)).toBe(99_999);
    expect(array).toBeInstanceOf(Float64Array);
    expect(array).toEqual(new Float64Array(50_000).map((_, i) => i * 1.5));
    expect(sum).toBe(values.reduce((a, b) => a + b, 0));
  });
});
