/**
 * The MD5 behind tokenize: Node's crypto where present (fast, native), else a pure-JS MD5
 * (@noble/hashes) in a browser. Both digest the same bytes (strings as UTF-8), so a graph built
 * in a page gets the same keys as in Node.
 */
import { md5 } from '@noble/hashes/legacy';
import { hasNodeBuiltins, nodeBuiltin } from '../platform/node-builtins';

export interface Hasher {
  update(data: string | Uint8Array): void;
  digest(encoding: 'hex'): string;
}

type NodeCrypto = { createHash(alg: string): Hasher; hash?: (alg: string, data: string, encoding: 'hex') => string };

let nodeCrypto: NodeCrypto | null | undefined;
const encoder = new TextEncoder();

class JsMd5 implements Hasher {
  private readonly h = md5.create();
  update(data: string | Uint8Array): void {
    this.h.update(typeof data === 'string' ? encoder.encode(data) : data);
  }
  digest(): string {
    let s = '';
    for (const b of this.h.digest()) s += b.toString(16).padStart(2, '0');
    return s;
  }
}

function loadCrypto(): NodeCrypto | null {
  if (nodeCrypto === undefined) nodeCrypto = hasNodeBuiltins() ? nodeBuiltin<NodeCrypto>('node:crypto', 'tokenize') : null;
  return nodeCrypto;
}

function newMd5(): Hasher {
  const c = loadCrypto();
  return c ? c.createHash('md5') : new JsMd5();
}

/** Text held back before it is handed to the hash (bounds the joined string a large token builds). */
const PENDING_CHARS = 1 << 16;

/**
 * MD5 fed in many small pieces (a token is dozens of short strings) digests the same bytes as
 * their concatenation, so the pieces are joined and hashed in as few calls as possible: a token
 * of text only is one call of Node's one-shot `crypto.hash`, which costs a fraction of creating a
 * Hash object and updating it piece by piece (most tokens are of names and small numbers). Joining
 * cannot change the bytes: UTF-8 of a concatenation is the concatenation of the parts' UTF-8, and
 * tokenize never ends a piece with half a surrogate pair whose other half starts the next one.
 */
class JoinedMd5 implements Hasher {
  private inner: Hasher | undefined;
  private pending = '';

  update(data: string | Uint8Array): void {
    if (typeof data === 'string') {
      this.pending += data;
      if (this.pending.length < PENDING_CHARS) return;
    }
    this.inner ??= newMd5();
    if (this.pending) this.inner.update(this.pending);
    this.pending = '';
    if (typeof data !== 'string') this.inner.update(data);
  }

  digest(encoding: 'hex'): string {
    if (this.inner === undefined) {
      const c = loadCrypto();
      if (typeof c?.hash === 'function') return c.hash('md5', this.pending, 'hex');
      this.inner = newMd5();
    }
    if (this.pending) this.inner.update(this.pending);
    this.pending = '';
    return this.inner.digest(encoding);
  }
}

export function createMd5(): Hasher {
  return new JoinedMd5();
}

/** A random UUID (v4): Web Crypto's, present in Node and in secure pages; else from getRandomValues. */
export function randomId(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  if (c?.getRandomValues) c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
