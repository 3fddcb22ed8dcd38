import { describe, expect, it } from 'vitest';
import { holderLists, MemoryReport } from '../src/protocol/holders';
import { ProtocolError } from '../src/protocol/messages';
import { schedulerToClient } from '../src/protocol/wire';

describe("the 'memory' message's holders, as indices into its addresses", () => {
  it('writes each address once and gives every key its holders back', () => {
    const r = new MemoryReport();
    r.add('a', [{ id: 'tcp://127.0.0.1:1' }]);
    r.add('b', [{ id: 'tcp://127.0.0.1:2' }]);
    r.add('c', [{ id: 'tcp://127.0.0.1:1' }, { id: 'tcp://127.0.0.1:2' }]);
    r.add('d', [{ id: 'tcp://127.0.0.1:1' }]);
    expect(r.keys).toEqual(['a', 'b', 'c', 'd']);
    expect(r.addresses).toEqual(['tcp://127.0.0.1:1', 'tcp://127.0.0.1:2']);
    expect(r.holders).toEqual([0, 1, [0, 1], 0]);
    // Through the boundary check, as a client receives it.
    const m = schedulerToClient.parse({ op: 'memory', keys: r.keys, holders: r.holders, addresses: r.addresses });
    if (m.op !== 'memory') throw new Error(m.op);
    expect(holderLists(m.holders, m.addresses, m.keys.length)).toEqual([
      ['tcp://127.0.0.1:1'],
      ['tcp://127.0.0.1:2'],
      ['tcp://127.0.0.1:1', 'tcp://127.0.0.1:2'],
      ['tcp://127.0.0.1:1'],
    ]);
  });

  it('refuses an index past the addresses, or a count that does not match the keys', () => {
    expect(() => holderLists([0, 2], ['x', 'y'], 2)).toThrow(ProtocolError);
    expect(() => holderLists([0, 2], ['x', 'y'], 2)).toThrow("'memory' message: holder 2 is not an index into its 2 addresses");
    expect(() => holderLists([[0, 5]], ['x'], 1)).toThrow("'memory' message: holder 5 is not an index into its 1 addresses");
    expect(() => holderLists([0], ['x'], 2)).toThrow("'memory' message: 1 holder entries for 2 keys");
    expect(() => schedulerToClient.parse({ op: 'memory', keys: ['a'], holders: [-1], addresses: ['x'] })).toThrow("'memory' message: 'holders'[0] must be an index into 'addresses' or a list of them, got number");
    expect(() => schedulerToClient.parse({ op: 'memory', keys: ['a'], holders: [[0, 'x']], addresses: ['x'] })).toThrow(
      "'memory' message: 'holders'[0] must be an index into 'addresses' or a list of them, got a list holding something else",
    );
  });
});
