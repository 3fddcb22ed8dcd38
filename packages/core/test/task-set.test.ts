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
