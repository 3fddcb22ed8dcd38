/**
 * The web pool's page-to-worker encoding of shared memory (platform-web-shared.ts): each shared
 * buffer or shared WebAssembly.Memory travels to a worker once, later messages name it, and the
 * worker side rebuilds the same values. Runs in Node: structuredClone stands in for postMessage.
 */
import { describe, expect, it } from 'vitest';
import { heldSharedCount, receiveShared, HANDLED, SharedRefSender } from '../src/execute/threads/platform-web-shared';

/** What the worker runtime would see: the message cloned as postMessage clones it, then unwrapped. */
function deliver(sender: SharedRefSender, msg: unknown): unknown {
  return receiveShared(structuredClone(sender.encode(msg)));
}

function sharedMemory(pages = 2): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: pages, maximum: 16, shared: true } as WebAssembly.MemoryDescriptor);
}

describe('shared buffers sent once per worker', () => {
  it('leaves messages without shared memory untouched (no copy, no envelope)', () => {
    const sender = new SharedRefSender(() => undefined);
    const plain = { t: 'batch', run: [1, [1, 0, { data: new Float64Array([1, 2]) }], 0, 0] };
    expect(sender.encode(plain)).toBe(plain);
    expect(sender.encode({ t: 'end', cids: [1] })).toEqual({ t: 'end', cids: [1] });
    sender.close();
  });

  it('sends a block over a shared memory in full once, then by reference, with the same values', () => {
    const mem = sharedMemory();
    const all = new Float64Array(mem.buffer);
    for (let i = 0; i < all.length; i++) all[i] = i * 0.5;
    const block = (start: number, n: number) => ({ dtype: 'float64', shape: [n], data: all.subarray(start, start + n), mem });
    const sender = new SharedRefSender(() => undefined);
    const msg1 = { t: 'batch', cid: 1, run: [0, [1, 7, block(3, 5)], 0, 1] };
    const wire1 = sender.encode(msg1) as { t: string; b: [number, unknown][] };
    expect(wire1.t).toBe('pdask-shared-refs');
    expect(wire1.b.length).toBe(2); // the memory and the buffer the view is over
    // The caller's message is not changed.
    expect(msg1.run[1]).toEqual([1, 7, block(3, 5)]);
    const got1 = receiveShared(structuredClone(wire1)) as typeof msg1;
    const b1 = got1.run[1] as [number, number, ReturnType<typeof block>];
    expect(Array.from(b1[2].data)).toEqual([1.5, 2, 2.5, 3, 3.5]);
    expect(b1[2].data.byteOffset).toBe(3 * 8);
    expect(b1[2].mem).toBeInstanceOf(WebAssembly.Memory);

    const msg2 = { t: 'batch', cid: 2, run: [1, [1, 8, block(100, 3)], 0, 1, 2, [1, 9, block(0, 2)], 0, 1] };
    const wire2 = sender.encode(msg2) as { b: unknown[] };
    expect(wire2.b).toEqual([]); // nothing sent again
    const got2 = receiveShared(structuredClone(wire2)) as typeof msg2;
    const b2 = got2.run[1] as [number, number, ReturnType<typeof block>];
    const b3 = got2.run[5] as [number, number, ReturnType<typeof block>];
    expect(Array.from(b2[2].data)).toEqual([50, 50.5, 51]);
    expect(Array.from(b3[2].data)).toEqual([0, 0.5]);
    // One memory object on the worker side, whatever the number of messages.
    expect(b2[2].mem).toBe(b1[2].mem);
    expect(b3[2].mem).toBe(b1[2].mem);
    // The views read the same memory the page writes.
    all[100] = -7;
    expect(b2[2].data[0]).toBe(-7);
    sender.close();
  });

  it('handles every view kind, a DataView, a bare SharedArrayBuffer and a first use inside the same message', () => {
    const sab = new SharedArrayBuffer(64);
    new Uint8Array(sab).forEach((_, i, a) => (a[i] = i));
    const sender = new SharedRefSender(() => undefined);
    const msg = { a: new Int16Array(sab, 2, 3), b: new DataView(sab, 8, 4), c: sab, d: [new Uint8Array(sab, 60, 4)], e: new BigInt64Array(sab, 16, 1) };
    const got = deliver(sender, msg) as typeof msg;
    expect(Array.from(got.a)).toEqual(Array.from(new Int16Array(sab, 2, 3)));
    expect(got.b.byteLength).toBe(4);
    expect(got.b.getUint8(0)).toBe(8);
    expect(got.c.byteLength).toBe(64);
    expect(Array.from(got.d[0])).toEqual([60, 61, 62, 63]);
    expect(got.e[0]).toBe(new BigInt64Array(sab, 16, 1)[0]);
    sender.close();
  });

  it('keeps an object met twice as one object, and sends a cyclic message as it is', () => {
    const sab = new SharedArrayBuffer(16);
    const sender = new SharedRefSender(() => undefined);
    const spec = { fn: 'sum', x: new Float64Array(sab) };
    const got = deliver(sender, { run: [spec, spec] }) as { run: (typeof spec)[] };
    expect(got.run[0]).toBe(got.run[1]);
    expect(got.run[0].x.length).toBe(2);
    const cyclic: Record<string, unknown> = { x: new Float64Array(sab) };
    cyclic.self = cyclic;
    expect(sender.encode(cyclic)).toBe(cyclic);
    sender.close();
  });

  it('a new worker (a new sender) is sent the buffers again; a dropped buffer is dropped by the worker', () => {
    const sab = new SharedArrayBuffer(8);
    const posted: unknown[] = [];
    const first = new SharedRefSender((m) => posted.push(m));
    const before = heldSharedCount();
    deliver(first, { x: new Uint8Array(sab) });
    expect(heldSharedCount()).toBe(before + 1);
    const second = new SharedRefSender(() => undefined);
    expect((second.encode({ x: new Uint8Array(sab) }) as { b: unknown[] }).b.length).toBe(1);
    // What the page does once its object is garbage (a FinalizationRegistry callback).
    const id = ((first.encode({ x: new Uint8Array(sab) }) as { m: { x: Record<string, number> } }).m.x as Record<string, number>)['\u0000pdask-shared'];
    first.forget(id);
    return Promise.resolve().then(() => {
      expect(posted).toEqual([{ t: 'pdask-shared-forget', ids: [id] }]);
      expect(receiveShared(structuredClone(posted[0]))).toBe(HANDLED);
      expect(heldSharedCount()).toBe(before);
      first.close();
      second.close();
    });
  });

  it('refuses a reference to a buffer the worker was never sent', () => {
    expect(() => receiveShared({ t: 'pdask-shared-refs', m: { x: { '\u0000pdask-shared': 987654 } }, b: [] })).toThrow(/never sent/);
  });
});
