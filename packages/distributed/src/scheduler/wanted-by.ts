/**
 * Which clients want each key. Nearly always one client does: it is stored as itself, and a Set is
 * made only for a key a second client wants too (a map of 100,000 tasks makes no Sets).
 */
import type { Key } from '@pdask/core';

export class WantedBy<C extends object> {
  private readonly byKey = new Map<Key, C | Set<C>>();

  add(key: Key, client: C): void {
    const cur = this.byKey.get(key);
    if (cur === undefined) this.byKey.set(key, client);
    else if (cur instanceof Set) cur.add(client);
    else if (cur !== client) this.byKey.set(key, new Set([cur, client]));
  }

  delete(key: Key, client: C): void {
    const cur = this.byKey.get(key);
    if (cur === client) this.byKey.delete(key);
    else if (cur instanceof Set) {
      cur.delete(client);
      if (cur.size === 0) this.byKey.delete(key);
    }
  }

  has(key: Key): boolean {
    return this.byKey.has(key);
  }

  /** Calls `fn` with each client wanting `key`; false when none does. */
  each(key: Key, fn: (client: C) => void): boolean {
    const cur = this.byKey.get(key);
    if (cur === undefined) return false;
    if (cur instanceof Set) for (const c of cur) fn(c);
    else fn(cur);
    return true;
  }
}
