/**
 * The worker's memory pieces on their own (no processes): the streaming spill file, the store's
 * spilling, and the lines of the memory model. Scenarios ported from Dask's
 * distributed/tests/test_worker_memory.py are named after the Dask test they follow.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays } from 'apache-arrow';
import { afterEach, describe, expect, it } from 'vitest';
import { DataStore } from '../src/index';
import { MemoryModel, MIN_ROOM } from '../src/worker/memory-model';
import { readSpillFile, writeSpillFile } from '../src/worker/spill-file';
import { makeNannySpace } from '../src/worker/spill-space';

const MiB = 2 ** 20;
const dirs: string[] = [];
function scratch(): string {
  const d = mkdtempSync(join(tmpdir(), 'pdask-wm-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('spill files', () => {
  it('round-trip every typed array type as an array owning exactly its bytes, in a 0600 file', () => {
    const dir = scratch();
    const values = [
      Float64Array.from([0.5, -1e300, Number.NaN, 3]),
      Float32Array.from([1.5, -2.25]),
      Int32Array.from([-(2 ** 31), 7]),
      Uint32Array.from([2 ** 32 - 1]),
      Int16Array.from([-3]),
      Uint16Array.from([65535]),
      Int8Array.from([-128, 127]),
      Uint8Array.from([1, 2, 3]),
      Uint8ClampedArray.from([255]),
      BigInt64Array.from([-(2n ** 63n)]),
      BigUint64Array.from([2n ** 64n - 1n]),
    ];
    values.forEach((v, i) => {
      const file = join(dir, `f${i}`);
      // A view into the middle of a larger buffer: only its own elements are written.
      const C = v.constructor as { new (b: ArrayBuffer, o: number, n: number): typeof v; BYTES_PER_ELEMENT: number };
      const big = new ArrayBuffer(v.byteLength + 3 * C.BYTES_PER_ELEMENT);
      const view = new C(big, C.BYTES_PER_ELEMENT, v.length);
      new Uint8Array(big, view.byteOffset, view.byteLength).set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
      writeSpillFile(file, view);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const back = readSpillFile(file) as typeof v;
      expect(back.constructor).toBe(v.constructor);
      expect(Array.from(back as ArrayLike<number | bigint>)).toEqual(Array.from(v as ArrayLike<number | bigint>));
      expect(back.buffer.byteLength).toBe(v.byteLength);
    });
  });

  it('round-trip an ArrayBuffer, an Arrow table and other values (nested arrays, Map, Set, undefined, bigint)', () => {
    const dir = scratch();
    const ab = Uint8Array.from([9, 8, 7]).buffer;
    writeSpillFile(join(dir, 'ab'), ab);
    expect(Array.from(new Uint8Array(readSpillFile(join(dir, 'ab')) as ArrayBuffer))).toEqual([9, 8, 7]);

    const t = tableFromArrays({ x: Float64Array.from([1.5, 2.5, 3.5]), n: Int32Array.from([4, 5, 6]) });
    writeSpillFile(join(dir, 't'), t);
    const tb = readSpillFile(join(dir, 't')) as typeof t;
    expect(tb.numRows).toBe(3);
    expect(Array.from(tb.getChild('x')!.toArray() as Float64Array)).toEqual([1.5, 2.5, 3.5]);
    expect(Array.from(tb.getChild('n')!.toArray() as Int32Array)).toEqual([4, 5, 6]);

    const other = [Float64Array.from([1, 2]), 'text', undefined, new Map([[1, 'one']]), new Set([2n ** 70n])];
    writeSpillFile(join(dir, 'o'), other);
    const ob = readSpillFile(join(dir, 'o')) as unknown[];
    expect(Array.from(ob[0] as Float64Array)).toEqual([1, 2]);
    expect(ob.slice(1)).toEqual(['text', undefined, new Map([[1, 'one']]), new Set([2n ** 70n])]);
  });

  it('never overwrites an existing file and rejects a file that is not a spill file', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'x'), 'not a spill file');
    expect(() => writeSpillFile(join(dir, 'x'), 1)).toThrow(/EEXIST/);
    expect(() => readSpillFile(join(dir, 'x'))).toThrow(/is not a spill file/);
  });
});

describe('the store (Dask test_worker_memory.py)', () => {
  it('test_spill_target_threshold: past the target the least recently used goes to disk; reading it back swaps', () => {
    const dir = join(scratch(), 's');
    // Budget 2 MiB (limit 4 MiB x 0.5): two 1 MiB values fit, the third pushes out the oldest.
    const store = new DataStore({ limit: 4 * MiB, target: 0.5, directory: dir });
    for (const k of ['x', 'y', 'z']) store.set(k, new Uint8Array(MiB).fill(k.charCodeAt(0)), MiB);
    expect(store.spilledKeys).toBe(1);
    expect(store.managedBytes).toBe(2 * MiB);
    expect((store.get('x') as Uint8Array)[0]).toBe('x'.charCodeAt(0));
    // x is back in memory and the least recently used (y) went out in its place.
    expect(store.spilledKeys).toBe(1);
    expect(store.managedBytes).toBe(2 * MiB);
    store.set('w', 1, 8);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    store.dispose();
  });

  it('a value heavier than the whole target goes straight to disk and is only lent when read (zict Buffer)', () => {
    const dir = join(scratch(), 's');
    const store = new DataStore({ limit: 4 * MiB, target: 0.5, directory: dir });
    store.set('small', new Uint8Array(MiB), MiB);
    store.set('huge', new Float64Array((3 * MiB) / 8).fill(2), 3 * MiB);
    expect(store.managedBytes).toBe(MiB);
    expect(store.spilledBytes).toBe(3 * MiB);
    const v = store.get('huge') as Float64Array;
    expect(v.length).toBe((3 * MiB) / 8);
    expect(v[12345]).toBe(2);
    // Still on disk, and 'small' was not pushed out for it.
    expect(store.spilledBytes).toBe(3 * MiB);
    expect(store.managedBytes).toBe(MiB);
    store.dispose();
  });

  it('tells its owner of every read back from disk, with the bytes it allocated (lent or kept), and of nothing read from memory', () => {
    const dir = join(scratch(), 's');
    const reads: number[] = [];
    const store = new DataStore({ limit: 4 * MiB, target: 0.5, directory: dir, onReadBack: (n) => reads.push(n) });
    for (const k of ['x', 'y', 'z']) store.set(k, new Uint8Array(MiB), MiB);
    store.set('huge', new Uint8Array(3 * MiB), 3 * MiB);
    expect(reads).toEqual([]);
    store.get('z'); // in memory
    store.get('x'); // read back and kept
    store.get('huge'); // read back and lent
    store.get('huge');
    expect(reads).toEqual([MiB, 3 * MiB, 3 * MiB]);
    store.dispose();
  });

  it('test_fail_to_pickle_spill: a value that cannot be written stays in memory, with a log line naming it', () => {
    const dir = join(scratch(), 's');
    const lines: string[] = [];
    const store = new DataStore({ limit: 2 * MiB, target: 0.5, directory: dir, log: (l) => lines.push(l) });
    store.set('bad', { f: () => 1 }, MiB);
    store.set('good', 5, MiB);
    expect(lines.join('\n')).toMatch(/Could not spill 'bad' \(1048576 bytes\): .*it stays in memory/);
    expect(store.spilledKeys).toBe(0);
    expect(typeof (store.get('bad') as { f: () => number }).f).toBe('function');
    expect(readdirSync(dir)).toEqual([]);
    store.dispose();
  });

  it('test_delete_spilled_keys: deleting a spilled key removes its file without reading it back', () => {
    const dir = join(scratch(), 's');
    const store = new DataStore({ limit: 2 * MiB, target: 0.5, directory: dir });
    store.set('x', new Uint8Array(2 * MiB), 2 * MiB);
    expect(readdirSync(dir).length).toBe(1);
    expect(store.delete('x')).toBe(true);
    expect(store.has('x')).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    expect(store.managedBytes + store.spilledBytes).toBe(0);
    store.dispose();
  });

  it('test_avoid_memory_monitor_if_zero_limit: with no limit nothing is ever spilled', () => {
    const dir = join(scratch(), 's');
    const store = new DataStore({ limit: 0, target: 0.6, directory: dir });
    for (let i = 0; i < 20; i++) store.set(`k${i}`, new Uint8Array(MiB), MiB);
    expect(store.spilledKeys).toBe(0);
    expect(store.managedBytes).toBe(20 * MiB);
    store.dispose();
  });
});

describe('memory model', () => {
  const fractions = { target: 0.6, spill: 0.7, pause: 0.8, terminate: 0.95 };

  it("draws Dask's lines over the room between the idle process and the kill line", () => {
    const m = new MemoryModel(300e6, 80e6, fractions);
    const room = 0.95 * 300e6 - 80e6; // 205 MB
    expect(m.room).toBeCloseTo(room, 3);
    expect(m.terminateRss).toBeCloseTo(285e6, 3);
    expect(m.managedTarget).toBeCloseTo((0.6 / 0.95) * room, 3);
    expect(m.spillRss).toBeCloseTo(80e6 + (0.7 / 0.95) * room, 3);
    expect(m.pauseRss).toBeCloseTo(80e6 + (0.8 / 0.95) * room, 3);
    // With no baseline, exactly Dask's fractions of the limit.
    const d = new MemoryModel(1e9, 0, fractions);
    expect([d.managedTarget, d.spillRss, d.pauseRss]).toEqual([0.6e9, 0.7e9, 0.8e9].map((x) => expect.closeTo(x, 3)));
    expect(m.refusal('k', room)).toBeUndefined();
    expect(m.refusal('k', room + 1)?.message).toMatch(/the result of 'k' is 195\.5 MiB, more than this worker can hold: its memory limit is 286\.1 MiB/);
  });

  it('refuses a limit that leaves less than the minimum room, saying how much to give', () => {
    expect(() => new MemoryModel(100e6, 80e6, fractions)).toThrow(/memory limit 95\.4 MiB is too small: an idle worker already uses 76\.3 MiB resident, leaving 14\.3 MiB below/);
    const need = Math.ceil((80e6 + MIN_ROOM) / 0.95 / MiB);
    expect(() => new MemoryModel(100e6, 80e6, fractions)).toThrow(`give at least ${need} MiB`);
    expect(() => new MemoryModel(300e6, 80e6, { ...fractions, pause: 0.5 })).toThrow(/target <= spill <= pause <= terminate/);
  });
});

describe('the local directory of a nanny killed without cleaning up', () => {
  it('is removed by the next nanny on the same directory, unless its nanny or a worker of it still runs', () => {
    const base = scratch();
    // A pid that surely ran and ended: a child that has exited.
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    mkdirSync(join(base, `pdask-nanny-${dead}-abc123`, 'worker-0-xyz'), { recursive: true });
    writeFileSync(join(base, `pdask-nanny-${dead}-abc123`, 'worker-0-xyz', 'spill-1'), 'x');
    mkdirSync(join(base, `pdask-nanny-${process.pid}-live01`));
    mkdirSync(join(base, 'someone-elses'));
    // A dead nanny whose orphaned worker (this process, here) still runs with spilled values.
    mkdirSync(join(base, `pdask-nanny-${dead}-orphan`, 'worker-1-abc', `pdask-worker-${process.pid}-x1`), { recursive: true });
    const made = makeNannySpace(base);
    expect(readdirSync(base).sort()).toEqual(
      [`pdask-nanny-${process.pid}-live01`, `pdask-nanny-${dead}-orphan`, made.slice(base.length + 1), 'someone-elses'].sort(),
    );
    expect(made.slice(base.length + 1)).toMatch(new RegExp(`^pdask-nanny-${process.pid}-`));
  });
});
