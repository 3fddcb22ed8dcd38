import { describe, expect, it } from 'vitest';
import { WantedBy } from '../src/scheduler/wanted-by';

const clientsOf = (w: WantedBy<{ id: string }>, key: string): string[] => {
  const out: string[] = [];
  w.each(key, (c) => out.push(c.id));
  return out.sort();
};

describe('WantedBy (which clients want each key)', () => {
  it('keeps one client or several per key, and forgets a key no client wants', () => {
    const a = { id: 'a' };
    const b = { id: 'b' };
    const w = new WantedBy<{ id: string }>();
    w.add('k', a);
    w.add('k', a); // holds are counted by the client record, not here
    expect(clientsOf(w, 'k')).toEqual(['a']);
    w.add('k', b);
    expect(clientsOf(w, 'k')).toEqual(['a', 'b']);
    w.delete('k', a);
    expect(clientsOf(w, 'k')).toEqual(['b']);
    w.delete('k', a); // not wanting it twice changes nothing
    expect(w.has('k')).toBe(true);
    w.delete('k', b);
    expect(w.has('k')).toBe(false);
    expect(w.each('k', () => undefined)).toBe(false);
    w.add('j', b);
    w.delete('j', a);
    expect(clientsOf(w, 'j')).toEqual(['b']);
    w.delete('j', b);
    expect(w.has('j')).toBe(false);
  });
});
