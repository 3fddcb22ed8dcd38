/**
 * PieceStore.read: an output's pieces handed out while kept (the distributed runtime, where two
 * graphs may unpack the same output in tasks fused differently), spilled ones read back from their
 * files and left there until the run is cleared.
 */
import { describe, expect, it } from 'vitest';
import { PieceStore, type SpillTarget } from '../src/index';

class MemorySpill implements SpillTarget {
  files = new Map<string, unknown>();
  written = 0;
  write(piece: unknown): string {
    const h = `f${this.written++}`;
    this.files.set(h, structuredClone(piece));
    return h;
  }
  read(h: string): unknown {
    return this.files.get(h);
  }
  remove(h: string): void {
    this.files.delete(h);
  }
}

describe('PieceStore.read', () => {
  const sizeOf = (p: unknown): number => (p as Float64Array).byteLength;
  const piece = (x: number): Float64Array => new Float64Array(5).fill(x); // 40 bytes

  it('gives the pieces in input order and keeps them, in memory and spilled, until clear', () => {
    const spill = new MemorySpill();
    const store = new PieceStore({ budget: 80, sizeOf, spill });
    store.add(0, 2, piece(2));
    store.add(0, 0, piece(0));
    store.add(0, 1, piece(1)); // 120 > 80: spilled
    expect(spill.files.size).toBe(1);
    for (let i = 0; i < 2; i++) {
      expect((store.read(0, 3) as Float64Array[]).map((p) => p[0])).toEqual([0, 1, 2]);
      expect(spill.files.size).toBe(1);
      expect(store.bytesInMemory).toBe(80);
      expect(store.pending).toBe(1);
    }
    // take after read: the same pieces, then gone.
    expect((store.take(0, 3) as Float64Array[]).map((p) => p[0])).toEqual([0, 1, 2]);
    expect(spill.files.size).toBe(0);
    expect(store.bytesInMemory).toBe(0);
    store.add(1, 0, piece(7));
    store.add(1, 1, piece(8));
    store.add(1, 2, piece(9)); // spilled
    store.read(1, 3);
    store.clear();
    expect(spill.files.size).toBe(0);
    expect(store.bytesInMemory).toBe(0);
  });

  it('refuses an output missing pieces, naming the inputs', () => {
    const store = new PieceStore({ budget: Infinity, sizeOf });
    store.add(3, 1, piece(1));
    expect(() => store.read(3, 3)).toThrow(/output 3 has no piece from input\(s\) 0, 2/);
    expect(store.pending).toBe(1);
  });
});
