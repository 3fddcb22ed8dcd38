/**
 * An in-process link hands plain batches over as copies instead of msgpack bytes (issue 16). The
 * receiver must get what the codec would have given it, and anything the codec alone can judge
 * (or refuse) must still go through the codec, with the same error for the sender.
 */
import { describe, expect, it } from 'vitest';
import { Comm, type Message } from '../src/comm/comm';
import { LocalSocket } from '../src/comm/local-link';
import { boxValue, decodeMessage, encodeMessage } from '../src/protocol/codec';
import { copyPlain, NOT_PLAIN } from '../src/protocol/plain-copy';

describe('copyPlain', () => {
  it('gives what msgpack delivers: undefined as null (the stand-in as undefined), -0 as 0, holes as null, only own enumerable keys', () => {
    const sparse: unknown[] = [1];
    sparse[2] = 3;
    const withExtra = Object.assign([7, 8], { extra: 'dropped' });
    const bare = Object.create(null) as Record<string, unknown>;
    bare.k = 'v';
    const hidden = { shown: 1 };
    Object.defineProperty(hidden, 'hidden', { value: 2, enumerable: false });
    const msg = {
      op: 'x',
      u: undefined,
      boxed: boxValue(undefined),
      boxedInArray: boxValue([1, undefined]),
      negZero: -0,
      nan: Number.NaN,
      big: 2n ** 70n,
      huge: 2 ** 60,
      text: 'naïve café',
      sparse,
      withExtra,
      bare,
      hidden,
      nested: [{ a: [true, false, null] }],
    };
    const expected = {
      op: 'x',
      u: null,
      boxed: undefined,
      boxedInArray: [1, undefined],
      negZero: 0,
      nan: Number.NaN,
      big: 2n ** 70n,
      huge: 1152921504606846976,
      text: 'naïve café',
      sparse: [1, null, 3],
      withExtra: [7, 8],
      bare: { k: 'v' },
      hidden: { shown: 1 },
      nested: [{ a: [true, false, null] }],
    };
    const copy = copyPlain([msg]) as [typeof expected];
    expect(copy).toEqual([expected]);
    expect(Object.is(copy[0].negZero, 0)).toBe(true);
    expect(Object.getPrototypeOf(copy[0].bare)).toBe(Object.prototype);
    expect(Object.keys(copy[0].withExtra)).toEqual(['0', '1']);
    // The codec agrees with these expectations (so the two paths deliver the same).
    expect(decodeMessage(encodeMessage([msg]))).toEqual([expected]);
  });

  it('copies every array and object: the receiver cannot change the sender’s values', () => {
    const inner = { list: [1, 2] };
    const msg = { op: 'x', inner };
    const copy = copyPlain([msg]) as [{ inner: { list: number[] } }];
    copy[0].inner.list.push(3);
    expect(inner.list).toEqual([1, 2]);
    expect(copy[0].inner).not.toBe(inner);
  });

  it('leaves to the codec what is not plain', () => {
    const deep: unknown[] = [];
    let at = deep;
    for (let i = 0; i < 120; i++) {
      const next: unknown[] = [];
      at.push(next);
      at = next;
    }
    const proto = JSON.parse('{"__proto__": 1}') as unknown;
    class Point {
      x = 1;
    }
    const cases: [string, unknown][] = [
      ['a Float64Array', new Float64Array([1])],
      ['a Buffer', Buffer.from('ab')],
      ['an ArrayBuffer', new ArrayBuffer(4)],
      ['a Map', new Map([['a', 1]])],
      ['a Set', new Set([1])],
      ['an Error', new Error('e')],
      ['a Date', new Date(0)],
      ['a class instance', new Point()],
      ['a function', () => 1],
      ['a symbol', Symbol('s')],
      ['a lone surrogate', '\uD800x'],
      ['an emoji (a surrogate pair)', '😀'],
      ['a __proto__ key', proto],
      ['nesting of 120 levels', deep],
    ];
    for (const [what, v] of cases) expect([what, copyPlain([{ op: 'x', v }])]).toEqual([what, NOT_PLAIN]);
  });
});

/** Two Comms over an in-process link; what the second receives, and the first's encode errors. */
function linked(): { a: Comm; got: Message[]; errors: string[] } {
  const [x, y] = LocalSocket.pair();
  const a = new Comm(x);
  const b = new Comm(y);
  const got: Message[] = [];
  const errors: string[] = [];
  b.onMessage((m) => got.push(m));
  a.onEncodeError = (m, e) => errors.push(`${m.op}: ${e.message}`);
  return { a, got, errors };
}

const settle = () => new Promise<void>((r) => setImmediate(r));

describe('a Comm over an in-process link', () => {
  it('delivers a plain batch as a copy, in order with batches that go through the codec', async () => {
    const { a, got } = linked();
    const sent = { op: 'plain', v: { list: [1, 2] } };
    a.send(sent);
    await settle();
    a.send({ op: 'binary', v: Float64Array.from([0.5, 1.5]) });
    await settle();
    a.send({ op: 'plain-again', v: 'text' });
    await settle();
    expect(got.map((m) => m.op)).toEqual(['plain', 'binary', 'plain-again']);
    expect(got[0]).toEqual({ op: 'plain', v: { list: [1, 2] } });
    expect(got[0]).not.toBe(sent);
    expect(got[1].v).toEqual(Float64Array.from([0.5, 1.5]));
    expect(got[2].v).toBe('text');
  });

  it('still refuses a message that cannot be encoded, with the codec’s error, and delivers the rest of its batch', async () => {
    const { a, got, errors } = linked();
    a.send({ op: 'before', v: 1 });
    a.send({ op: 'bad', f: () => 1 });
    a.send({ op: 'after', v: 2 });
    await settle();
    expect(errors).toEqual(['bad: Unrecognized object: [object Function]']);
    expect(got).toEqual([
      { op: 'before', v: 1 },
      { op: 'after', v: 2 },
    ]);
  });

  it('delivers a batch sent before close, then closes', async () => {
    const { a, got } = linked();
    a.send({ op: 'last', v: 1 });
    a.close('done');
    await settle();
    expect(got).toEqual([{ op: 'last', v: 1 }]);
    expect(a.isClosed).toBe(true);
  });
});
