/**
 * Field decoders for the wire protocol: each checks one field of a received message and returns
 * it typed. A message's type is inferred from its decoders (protocol/wire.ts), so what the
 * receiver checks and what the sender is allowed to write cannot drift apart.
 */
import type { Key } from '@pdask/core';
import { ProtocolError } from './messages';

/** Checks `v` (the field at `at`, for the error) and returns it typed, or throws a ProtocolError. */
export type Decoder<T> = (v: unknown, at: string) => T;

/** A decoder that reads an absent field as empty: senders may leave the field out. */
export type Defaulted<T> = Decoder<T> & { readonly absentIsEmpty: true };

function defaulted<T>(d: Decoder<T>): Defaulted<T> {
  return Object.assign(d, { absentIsEmpty: true as const });
}

const bad = (at: string, what: string, v: unknown): ProtocolError =>
  new ProtocolError(`${at} must be ${what}, got ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}`);

export const string: Decoder<string> = (v, at) => {
  if (typeof v !== 'string') throw bad(at, 'a string', v);
  return v;
};

export const number: Decoder<number> = (v, at) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(at, 'a finite number', v);
  return v;
};

export const positive: Decoder<number> = (v, at) => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw bad(at, 'a number > 0', v);
  return v;
};

export const boolean: Decoder<boolean> = (v, at) => {
  if (typeof v !== 'boolean') throw bad(at, 'a boolean', v);
  return v;
};

/** Anything: the field is checked further where it is used (graph nodes, task values). */
export const anything: Decoder<unknown> = (v) => v;

/** An array (absent counts as empty: senders leave out empty lists). */
export const list: Defaulted<unknown[]> = defaulted((v, at) => {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw bad(at, 'an array', v);
  return v;
});

export function listOf<T>(item: Decoder<T>): Defaulted<T[]> {
  return defaulted((v, at) => {
    const a = list(v, at);
    const out = new Array<T>(a.length);
    for (let i = 0; i < a.length; i++) {
      // The item's path is built only when it is wrong (decoders are pure: the second call throws
      // the same error, naming the exact place); a long list of good items builds no strings.
      try {
        out[i] = item(a[i], at);
      } catch {
        out[i] = item(a[i], `${at}[${i}]`);
      }
    }
    return out;
  });
}

export const keyList: Defaulted<Key[]> = defaulted((v, at) => {
  const a = list(v, at);
  for (const k of a) if (typeof k !== 'string') throw new ProtocolError(`${at} must hold keys (strings), got ${typeof k}`);
  return a as Key[];
});

/** A plain object (absent counts as empty). */
export const object: Defaulted<Record<string, unknown>> = defaulted((v, at) => {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) throw bad(at, 'an object', v);
  return v as Record<string, unknown>;
});

export const numberRecord: Defaulted<Record<string, number>> = defaulted((v, at) => {
  const r = object(v, at);
  for (const [k, x] of Object.entries(r)) number(x, `${at}.${k}`);
  return r as Record<string, number>;
});

/** An absent (undefined or null) field is undefined; a present one must pass `d`. */
export function optional<T>(d: Decoder<T>): Decoder<T | undefined> {
  return (v, at) => (v === undefined || v === null ? undefined : d(v, at));
}

/** One of the given strings. */
export function oneOf<const S extends string>(...values: S[]): Decoder<S> {
  return (v, at) => {
    if (typeof v !== 'string' || !(values as string[]).includes(v)) throw new ProtocolError(`${at} must be one of ${values.join(', ')}, got ${String(v)}`);
    return v as S;
  };
}

/** An object whose fields each pass their decoder (extra fields are dropped). */
export function shape<F extends Fields>(fields: F): Decoder<Received<F>> {
  const names = Object.keys(fields);
  return (v, at) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(at, 'an object', v);
    const src = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const n of names) {
      let x: unknown;
      // As in listOf: the field's path only for the error.
      try {
        x = fields[n](src[n], at);
      } catch {
        x = fields[n](src[n], `${at}.${n}`);
      }
      if (x !== undefined) out[n] = x;
    }
    return out as Received<F>;
  };
}

export type Fields = Record<string, Decoder<unknown>>;

type Decoded<D> = D extends Decoder<infer T> ? T : never;
type MayBeUndefined<F extends Fields> = { [K in keyof F]: undefined extends Decoded<F[K]> ? K : never }[keyof F];
type MayBeLeftOut<F extends Fields> = { [K in keyof F]: F[K] extends { absentIsEmpty: true } ? K : undefined extends Decoded<F[K]> ? K : never }[keyof F];

/** A message as its receiver has it after decoding: fields whose decoder allows undefined are optional. */
export type Received<F extends Fields> = { [K in Exclude<keyof F, MayBeUndefined<F>>]: Decoded<F[K]> } & {
  [K in MayBeUndefined<F>]?: Exclude<Decoded<F[K]>, undefined>;
};

/** A message as its sender may write it: fields read as empty when absent may also be left out. */
export type Sent<F extends Fields> = { [K in Exclude<keyof F, MayBeLeftOut<F>>]: Decoded<F[K]> } & {
  [K in MayBeLeftOut<F>]?: Decoded<F[K]>;
};
