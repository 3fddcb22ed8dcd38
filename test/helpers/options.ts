/** What every package's strict-options test asserts, written once. */
import { expect } from 'vitest';

/** The error a call throws or rejects with (undefined when it succeeds). */
export async function errorOf(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** `call` fails with `<name>: unknown option '<key>' (known: …)`, a TypeError. */
export async function expectUnknownOption(name: string, key: string, call: () => unknown): Promise<void> {
  const e = await errorOf(call);
  expect(e, `${name} accepted the misspelt option '${key}'`).toBeInstanceOf(TypeError);
  expect((e as Error).message).toMatch(new RegExp(`^${name.replace(/\./g, '\\.')}: unknown option '${key}' \\(known: `));
}
