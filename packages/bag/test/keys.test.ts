import { describe, expect, it } from 'vitest';
import { hashKey, KeyTable } from '../src/ops/keys';
import { splitLines } from '../src/ops/io';
import { outputPaths } from '../src/io/to-text-files';
import { hashFloat64 } from '../src/token';

describe('keys compared by value', () => {
  it('KeyTable: primitives by SameValueZero, arrays and objects by content', () => {
    const t = new KeyTable();
    const keys = [1, '1', [1, 'a'], [1, 'a'], { a: 1, b: 2 }, { b: 2, a: 1 }, NaN, NaN, null, undefined, 0, -0, true];
    const slots = keys.map((k) => t.slot(k));
    // -1 marks a new key; repeats get the slot of their first occurrence.
    expect(slots).toEqual([-1, -1, -1, 2, -1, 3, -1, 4, -1, -1, -1, 7, -1]);
    expect(t.size).toBe(9);
    expect(t.find([1, 'a'])).toBe(2);
    expect(t.find('nope')).toBe(-1);
  });

  it('KeyTable: strings by content across table growth, in first-seen order, mixed with other keys', () => {
    const t = new KeyTable();
    const ref = new Map<unknown, number>();
    const order: unknown[] = [];
    // 20,000 distinct strings (the table grows several times), each met again as a new instance.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 20000; i++) {
        const k: unknown = i % 7 === 0 ? i : ['w', i.toString(36)].join('');
        const s = t.slot(k);
        if (ref.has(k)) expect(s).toBe(ref.get(k));
        else {
          expect(s).toBe(-1);
          ref.set(k, order.length);
          order.push(k);
        }
      }
    }
    expect(t.keys).toEqual(order);
    expect(t.find(['w', (12345).toString(36)].join(''))).toBe(ref.get(`w${(12345).toString(36)}`));
    expect(t.find('w-absent')).toBe(-1);
    expect(t.find('')).toBe(-1);
    expect(t.slot('')).toBe(-1);
    expect(t.find('')).toBe(order.length);
  });

  it('hashKey agrees with that equality and spreads small integers', () => {
    expect(hashKey([1, 'a'])).toBe(hashKey([1, 'a']));
    expect(hashKey({ a: 1, b: 2 })).toBe(hashKey({ b: 2, a: 1 }));
    expect(hashKey(0)).toBe(hashKey(-0));
    expect(hashKey(1)).not.toBe(hashKey('1'));
    // 10,000 consecutive integers over 16 buckets: none much above or below its share.
    const counts = new Array(16).fill(0);
    for (let i = 0; i < 10000; i++) counts[hashKey(i) % 16]++;
    for (const c of counts) expect(Math.abs(c - 625)).toBeLessThan(150);
  });

  it('hashFloat64 depends on every value and on order', () => {
    const a = Float64Array.from([1, 2, 3]);
    expect(hashFloat64(a)).toBe(hashFloat64(Float64Array.from([1, 2, 3])));
    expect(hashFloat64(a)).not.toBe(hashFloat64(Float64Array.from([1, 3, 2])));
    expect(hashFloat64(a)).not.toBe(hashFloat64(Float64Array.from([1, 2, 3.0000000001])));
  });
});

describe('text helpers', () => {
  it('splitLines keeps delimiters and drops only an empty tail', () => {
    expect(splitLines('a\nb\n', '\n')).toEqual(['a\n', 'b\n']);
    expect(splitLines('a\n\nb', '\n')).toEqual(['a\n', '\n', 'b']);
    expect(splitLines('', '\n')).toEqual([]);
    expect(splitLines('a||b', '||')).toEqual(['a||', 'b']);
  });

  it('outputPaths: patterns, directories, name functions, lists', () => {
    expect(outputPaths('/o/*.txt', 2, String)).toEqual(['/o/0.txt', '/o/1.txt']);
    expect(outputPaths('/o/', 2, String)).toEqual(['/o/0.part', '/o/1.part']);
    expect(outputPaths('/o/p-*.gz', 2, (i) => `x${i + 1}`)).toEqual(['/o/p-x1.gz', '/o/p-x2.gz']);
    expect(outputPaths(['/a', '/b'], 2, String)).toEqual(['/a', '/b']);
    expect(() => outputPaths(['/a'], 2, String)).toThrow(/1 paths for 2 partitions/);
    expect(() => outputPaths('/o/*/*.txt', 2, String)).toThrow(/more than one/);
  });
});
