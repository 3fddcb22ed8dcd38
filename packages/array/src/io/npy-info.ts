/**
 * The `info` file of a Dask npy stack: a Python pickle of `{'chunks': ((..), ..), 'dtype':
 * numpy.dtype(..), 'axis': n}`. Written as a protocol-2 pickle Python reads back (a dtype is
 * `numpy.dtype(descr, False, True)` with its state); read with a small interpreter of the
 * opcodes that pickling such a dict produces (protocols 2 to 5). Nothing else is executed:
 * the one global allowed is numpy.dtype, turned into its descr string.
 */
export interface NpyStackInfo {
  readonly chunks: number[][];
  /** NumPy's descr: '<f8', '|u1', ... */
  readonly descr: string;
  readonly axis: number;
}

// ---- writing ----------------------------------------------------------------------------------

class Out {
  private bytes: number[] = [];
  op(...b: number[]): this {
    this.bytes.push(...b);
    return this;
  }
  int(v: number): this {
    if (v >= 0 && v < 256) return this.op(0x4b, v); // BININT1
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, v, true);
    return this.op(0x4a, ...b); // BININT
  }
  str(s: string): this {
    const u = new TextEncoder().encode(s);
    const n = new Uint8Array(4);
    new DataView(n.buffer).setUint32(0, u.length, true);
    return this.op(0x58, ...n, ...u); // BINUNICODE
  }
  ascii(s: string): this {
    return this.op(...Array.from(s, (c) => c.charCodeAt(0)));
  }
  get(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

const MARK = 0x28;
const TUPLE = 0x74;

/** The pickle bytes of a stack's info. */
export function encodeInfo(info: NpyStackInfo): Uint8Array {
  const o = new Out().op(0x80, 2).op(0x7d).op(MARK); // PROTO 2, EMPTY_DICT, MARK
  o.str('chunks').op(MARK);
  for (const c of info.chunks) {
    o.op(MARK);
    for (const v of c) o.int(v);
    o.op(TUPLE);
  }
  o.op(TUPLE);
  // numpy.dtype('f8', False, True) with the state (3, '<', None, None, None, -1, -1, 0).
  o.str('dtype').op(0x63).ascii('numpy\ndtype\n').op(MARK).str(info.descr.slice(1)).op(0x89, 0x88).op(TUPLE).op(0x52);
  o.op(MARK).int(3).str(info.descr[0]).op(0x4e, 0x4e, 0x4e).int(-1).int(-1).int(0).op(TUPLE).op(0x62); // BUILD
  o.str('axis').int(info.axis);
  return o.op(0x75, 0x2e).get(); // SETITEMS, STOP
}

// ---- reading ----------------------------------------------------------------------------------

type Value = number | string | boolean | null | Value[] | { dict: Map<string, Value> } | { global: string } | { reduce: string; args: Value[]; state?: Value };
const MARKER = Symbol('mark');

/** Reads the info pickle (`where` names the file in errors). */
export function decodeInfo(bytes: Uint8Array, where: string): NpyStackInfo {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: (Value | typeof MARKER)[] = [];
  const memo = new Map<number, Value>();
  const fail = (what: string): never => {
    throw new Error(`${where}: not a Dask npy-stack info pickle (${what})`);
  };
  const popMark = (): Value[] => {
    const i = stack.lastIndexOf(MARKER);
    if (i < 0) fail('no mark');
    return stack.splice(i).slice(1) as Value[];
  };
  const top = (): Value => stack[stack.length - 1] as Value;
  const text = (from: number, n: number) => new TextDecoder().decode(bytes.subarray(from, from + n));
  let p = 0;
  let result: Value | undefined;
  while (result === undefined) {
    if (p >= bytes.length) fail('no STOP');
    const op = bytes[p++];
    switch (op) {
      case 0x80: p++; break; // PROTO
      case 0x95: p += 8; break; // FRAME
      case 0x2e: result = stack.pop() as Value; break; // STOP
      case 0x28: stack.push(MARKER); break;
      case 0x7d: stack.push({ dict: new Map() }); break; // EMPTY_DICT
      case 0x29: stack.push([]); break; // EMPTY_TUPLE
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x4e: stack.push(null); break;
      case 0x88: stack.push(true); break;
      case 0x89: stack.push(false); break;
      case 0x4b: stack.push(bytes[p]); p += 1; break; // BININT1
      case 0x4d: stack.push(view.getUint16(p, true)); p += 2; break; // BININT2
      case 0x4a: stack.push(view.getInt32(p, true)); p += 4; break; // BININT
      case 0x8a: { // LONG1
        const n = bytes[p++];
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[p + i]);
        if (n && bytes[p + n - 1] & 0x80) v -= 1n << BigInt(8 * n);
        stack.push(Number(v));
        p += n;
        break;
      }
      case 0x8c: { const n = bytes[p++]; stack.push(text(p, n)); p += n; break; } // SHORT_BINUNICODE
      case 0x58: { const n = view.getUint32(p, true); p += 4; stack.push(text(p, n)); p += n; break; } // BINUNICODE
      case 0x55: { const n = bytes[p++]; stack.push(text(p, n)); p += n; break; } // SHORT_BINSTRING
      case 0x85: stack.push([stack.pop() as Value]); break; // TUPLE1
      case 0x86: { const b = stack.pop() as Value; stack.push([stack.pop() as Value, b]); break; }
      case 0x87: { const c = stack.pop() as Value; const b = stack.pop() as Value; stack.push([stack.pop() as Value, b, c]); break; }
      case 0x74: stack.push(popMark()); break; // TUPLE
      case 0x6c: stack.push(popMark()); break; // LIST
      case 0x61: { const v = stack.pop() as Value; (top() as Value[]).push(v); break; } // APPEND
      case 0x65: { const vs = popMark(); (top() as Value[]).push(...vs); break; } // APPENDS
      case 0x94: memo.set(memo.size, top()); break; // MEMOIZE
      case 0x71: memo.set(bytes[p++], top()); break; // BINPUT
      case 0x72: memo.set(view.getUint32(p, true), top()); p += 4; break; // LONG_BINPUT
      case 0x68: stack.push(memo.get(bytes[p++]) ?? fail('bad memo')); break; // BINGET
      case 0x6a: stack.push(memo.get(view.getUint32(p, true)) ?? fail('bad memo')); p += 4; break; // LONG_BINGET
      case 0x73: { const v = stack.pop() as Value; const k = stack.pop() as Value; (top() as { dict: Map<string, Value> }).dict.set(String(k), v); break; } // SETITEM
      case 0x75: { // SETITEMS
        const kv = popMark();
        const d = (top() as { dict: Map<string, Value> }).dict ?? fail('SETITEMS without a dict');
        for (let i = 0; i < kv.length; i += 2) d.set(String(kv[i]), kv[i + 1]);
        break;
      }
      case 0x63: { // GLOBAL module\nname\n
        const e1 = bytes.indexOf(0x0a, p);
        const e2 = bytes.indexOf(0x0a, e1 + 1);
        stack.push({ global: `${text(p, e1 - p)}.${text(e1 + 1, e2 - e1 - 1)}` });
        p = e2 + 1;
        break;
      }
      case 0x93: { const name = stack.pop() as string; stack.push({ global: `${stack.pop() as string}.${name}` }); break; } // STACK_GLOBAL
      case 0x52: { // REDUCE
        const args = stack.pop() as Value[];
        const fn = stack.pop() as { global: string };
        if (fn.global !== 'numpy.dtype') fail(`it calls ${fn.global}`);
        stack.push({ reduce: fn.global, args });
        break;
      }
      case 0x62: { const state = stack.pop() as Value; (top() as { state?: Value }).state = state; break; } // BUILD
      default:
        fail(`opcode 0x${op.toString(16)} at byte ${p - 1}`);
    }
  }
  const d = (result as { dict?: Map<string, Value> }).dict ?? fail('not a dict');
  const chunks = d.get('chunks');
  const dt = d.get('dtype') as { reduce?: string; args?: Value[]; state?: Value } | undefined;
  const axis = d.get('axis');
  if (!Array.isArray(chunks) || !chunks.every((c) => Array.isArray(c) && c.every((v) => typeof v === 'number'))) fail("'chunks' is not a tuple of tuples of ints");
  if (typeof axis !== 'number') fail("'axis' is not an int");
  if (!dt?.args || typeof dt.args[0] !== 'string') fail("'dtype' is not a numpy dtype");
  const order = Array.isArray(dt!.state) && typeof dt!.state[1] === 'string' ? dt!.state[1] : '|';
  const code = dt!.args![0] as string;
  const descr = /^[<>|=]/.test(code) ? code : `${order === '=' ? '<' : order}${code}`;
  return { chunks: chunks as number[][], descr, axis: axis as number };
}
