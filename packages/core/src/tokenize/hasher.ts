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

type NodeCrypto = { createHash(alg: string): Hasher };

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

export function createMd5(): Hasher {
  if (nodeCrypto === undefined) nodeCrypto = hasNodeBuiltins() ? nodeBuiltin<NodeCrypto>('node:crypto', 'tokenize') : null;
  return nodeCrypto ? nodeCrypto.createHash('md5') : new JsMd5();
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
