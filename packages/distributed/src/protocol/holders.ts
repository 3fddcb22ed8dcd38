/**
 * Where finished keys are held, as the scheduler's 'memory' message tells a client: each key's
 * holders as indices into one list of worker addresses sent with the message (a number for the
 * usual single holder, else a list of numbers). A map's 100,000 results are held by a couple of
 * workers: their addresses are written once per message instead of once per key.
 */
import type { Key } from '@pdask/core';
import type { Decoder } from './fields';
import { listOf } from './fields';
import { ProtocolError } from './messages';

const isIndex = (i: unknown): i is number => typeof i === 'number' && Number.isInteger(i) && i >= 0;

/** The 'holders' field: per key an index, or a list of indices, into the message's addresses. */
export const holderRefs: Decoder<(number | number[])[]> = listOf((h, at) => {
  if (isIndex(h) || (Array.isArray(h) && h.every(isIndex))) return h as number | number[];
  throw new ProtocolError(`${at} must be an index into 'addresses' or a list of them, got ${Array.isArray(h) ? 'a list holding something else' : typeof h}`);
});

/** The keys of one 'memory' message as the scheduler builds it. */
export class MemoryReport {
  readonly keys: Key[] = [];
  readonly holders: (number | number[])[] = [];
  readonly addresses: string[] = [];
  /** (index in keys, value) pairs of small results sent inline (inline-results.ts). */
  readonly values: unknown[] = [];
  private readonly indexOf = new Map<string, number>();

  add(key: Key, whoHas: readonly { readonly id: string }[]): void {
    this.keys.push(key);
    this.holders.push(whoHas.length === 1 ? this.index(whoHas[0].id) : whoHas.map((w) => this.index(w.id)));
  }

  private index(address: string): number {
    let i = this.indexOf.get(address);
    if (i === undefined) {
      i = this.addresses.length;
      this.addresses.push(address);
      this.indexOf.set(address, i);
    }
    return i;
  }
}

/**
 * The client's side: each key's holders as addresses. Keys with one holder share one array per
 * address (its readers replace it, never change it). A malformed entry is a ProtocolError.
 */
export function holderLists(holders: readonly (number | number[])[], addresses: readonly string[], count: number): string[][] {
  if (holders.length !== count) throw new ProtocolError(`'memory' message: ${holders.length} holder entries for ${count} keys`);
  const single = addresses.map((a) => [a]);
  const at = (i: number): string => {
    if (i >= addresses.length) throw new ProtocolError(`'memory' message: holder ${i} is not an index into its ${addresses.length} addresses`);
    return addresses[i];
  };
  const out = new Array<string[]>(holders.length);
  for (let k = 0; k < holders.length; k++) {
    const h = holders[k];
    if (typeof h === 'number') {
      at(h);
      out[k] = single[h];
    } else out[k] = h.map(at);
  }
  return out;
}
