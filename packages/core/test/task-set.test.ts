/**
 * TaskSet (a worker's processing and has sets: a list while small, a Set beyond) and the
 * TaskState fields kept off the object (key, moveBytes): issue 16's tiny-task tree.
 */
import { describe, expect, it } from 'vitest';
import { dataNode } from '../src/graph/spec';
import { TaskSet } from '../src/schedule/task-set';
import { TaskState } from '../src/schedule/task-state';

const task = (i: number): TaskState => new TaskState(`t${i}`, dataNode(`t${i}`, i), i);

describe('TaskSet', () => {
  it('keeps set semantics and insertion order below and past the size where it starts hashing', () => {
    const ts = Array.from({ length: 40 }, (_, i) => task(i));
    for (const n of [4, 16, 17, 40]) {
      const s = new TaskSet();
      for (let i = 0; i < n; i++) s.add(ts[i]);
      s.add(ts[0]); // already a member: no second copy
      expect(s.size).toBe(n);
      // Delete the last, the first and a middle member, and one that is not a member.
      expect(s.delete(ts[n - 1])).toBe(true);
      expect(s.delete(ts[0])).toBe(true);
      expect(s.delete(ts[1])).toBe(true);
      expect(s.delete(ts[0])).toBe(false);
      expect(s.has(ts[0])).toBe(false);
      expect(s.has(ts[2])).toBe(true);
      s.add(ts[0]); // re-added: goes last, as in a Set
      const expected = [...Array.from({ length: n - 3 }, (_, i) => `t${i + 2}`), 't0'];
      expect([...s].map((t) => t.key)).toEqual(expected);
      expect([...s.values()].length).toBe(n - 2);
      s.clear();
      expect(s.size).toBe(0);
      expect([...s]).toEqual([]);
    }
  });
});

describe('TaskSet with tasks in several sets at once', () => {
  it('keeps each set right when a task is in two or three sets, joining and leaving in any order', () => {
    const ts = Array.from({ length: 300 }, (_, i) => task(i));
    const [a, b, c] = [new TaskSet(), new TaskSet(), new TaskSet()];
    for (const t of ts) a.add(t);
    // Every other task also in b, a third also in c (they hold a position of their own there).
    for (let i = 0; i < 300; i += 2) b.add(ts[i]);
    for (let i = 0; i < 300; i += 3) c.add(ts[i]);
    expect([a.size, b.size, c.size]).toEqual([300, 150, 100]);
    // Leaving a, where most joined first; many leave, so a squeezes its list.
    for (let i = 0; i < 250; i++) expect(a.delete(ts[i])).toBe(true);
    expect(a.has(ts[0])).toBe(false);
    expect(b.has(ts[0])).toBe(true);
    expect(c.has(ts[0])).toBe(true);
    expect(b.has(ts[1])).toBe(false);
    // A fourth set now takes tasks that left a but are still in b and c.
    const d = new TaskSet();
    for (let i = 0; i < 60; i++) d.add(ts[i]);
    d.add(ts[0]);
    expect(d.size).toBe(60);
    // b and c lose members in the middle and at the front; they squeeze too.
    for (let i = 0; i < 200; i += 2) expect(b.delete(ts[i])).toBe(true);
    for (let i = 0; i < 150; i += 3) expect(c.delete(ts[i])).toBe(true);
    expect(b.delete(ts[0])).toBe(false);
    expect(b.delete(ts[1])).toBe(false);
    expect(a.delete(ts[5])).toBe(false);
    const keys = (s: TaskSet): number[] => [...s].map((t) => Number(t.key.slice(1)));
    const range = (from: number, to: number, step: number): number[] => Array.from({ length: Math.ceil((to - from) / step) }, (_, i) => from + i * step);
    expect(keys(a)).toEqual(range(250, 300, 1));
    expect(keys(b)).toEqual(range(200, 300, 2));
    expect(keys(c)).toEqual(range(150, 300, 3));
    expect(keys(d)).toEqual(range(0, 60, 1));
    for (let i = 0; i < 300; i++) {
      expect(a.has(ts[i])).toBe(i >= 250);
      expect(b.has(ts[i])).toBe(i >= 200 && i % 2 === 0);
      expect(c.has(ts[i])).toBe(i >= 150 && i % 3 === 0);
      expect(d.has(ts[i])).toBe(i < 60);
    }
    // Re-joining a set goes last; clearing one leaves the others as they were.
    a.add(ts[3]);
    expect(keys(a).at(-1)).toBe(3);
    d.clear();
    expect(d.size).toBe(0);
    expect(a.has(ts[3])).toBe(true);
    d.add(ts[3]);
    expect(d.has(ts[3])).toBe(true);
    expect(a.delete(ts[3])).toBe(true);
    expect(d.has(ts[3])).toBe(true);
    expect(keys(d)).toEqual([3]);
  });
});

describe('TaskState', () => {
  it('refuses a key that is not its node key, by both names', () => {
    expect(() => new TaskState('a', dataNode('b', 1), 0)).toThrow(/key 'a' is not its node's key 'b'/);
    expect(task(7).key).toBe('t7');
  });

  it('gives moveBytes as nbytes unless set apart, and keeps a value set apart until set back', () => {
    const ts = task(1);
    ts.nbytes = 100;
    expect(ts.moveBytes).toBe(100);
    ts.moveBytes = 40; // part of the result in shared memory
    expect(ts.moveBytes).toBe(40);
    expect(ts.nbytes).toBe(100);
    ts.moveBytes = 100;
    ts.nbytes = 300;
    expect(ts.moveBytes).toBe(300);
  });
});
