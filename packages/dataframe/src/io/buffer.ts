/**
 * `Buffer` for the readers: Node's own in Node; in a browser bundle the `buffer` package (a
 * dependency, which bundlers resolve for the bare name `buffer`), with `subarray` made to return a
 * Buffer as Node's does (the readers call Buffer methods on the views they cut).
 */
import { Buffer } from 'buffer';

if (!(Buffer.from([0]).subarray(0) instanceof Buffer)) {
  const cut = Uint8Array.prototype.subarray;
  Object.defineProperty(Buffer.prototype, 'subarray', {
    configurable: true,
    writable: true,
    value: function subarray(this: Buffer, start?: number, end?: number): Buffer {
      return Object.setPrototypeOf(cut.call(this, start, end), Buffer.prototype) as Buffer;
    },
  });
}

/** Whether bytes are valid UTF-8: node:buffer's check in Node, a fatal TextDecoder elsewhere. */
export function isUtf8(bytes: Uint8Array): boolean {
  const check = (globalThis as { process?: { getBuiltinModule?: (id: string) => { isUtf8?: (b: Uint8Array) => boolean } | undefined } }).process?.getBuiltinModule?.('node:buffer')?.isUtf8;
  if (check) return check(bytes);
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export { Buffer };
