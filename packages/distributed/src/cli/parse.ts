/** Parsing of the CLI values Dask accepts (memory sizes, resources, durations, ports); options shared by the commands. */
import { parseBytes } from '@pdask/core';
import { InvalidArgumentError, type Command } from 'commander';
import { totalmem } from 'node:os';
import type { TlsFiles } from '../comm/security';
import { parseDuration } from './duration';

/**
 * "0" (no limit), "auto" (this machine's memory shared by the workers), a fraction of it ("0.5"),
 * bytes ("4000000000") or a size with a unit ("4GB", "512MiB").
 */
export function parseMemoryLimit(s: string | number | undefined, nworkers = 1): number {
  if (s === undefined) return 0;
  if (typeof s === 'number') return s;
  const t = s.trim().toLowerCase();
  if (t === 'auto') return Math.floor(totalmem() / Math.max(1, nworkers));
  // A bare fraction is a share of this machine's memory (Dask's convention); anything else a size.
  if (/^0?\.\d+$|^1\.0*$/.test(t)) return Math.floor(totalmem() * Number(t));
  try {
    return parseBytes(t, 'memory limit');
  } catch {
    const unit = /^[\d.]+(?:e\d+)?\s*([a-z]+)$/.exec(t)?.[1];
    if (unit) throw new Error(`Invalid memory unit '${unit}' in '${s}' (use B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)`);
    throw new Error(`Invalid memory limit '${s}': use 0, auto, a fraction like 0.5, bytes, or a size like 4GB or 512MiB`);
  }
}

/** "GPU=2 MEM=10e9" or "GPU=2,MEM=10e9" (Dask's --resources). */
export function parseResources(s: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (!s) return out;
  for (const part of s.split(/[\s,]+/).filter(Boolean)) {
    const m = /^([A-Za-z_][\w-]*)=([\d.e+-]+)$/.exec(part);
    if (!m || !Number.isFinite(Number(m[2]))) throw new Error(`Invalid resource '${part}': expected NAME=AMOUNT, e.g. GPU=2`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}

export { parseDuration } from './duration';

/**
 * Wraps a value parser for commander: any error it throws becomes an InvalidArgumentError, which
 * commander prints as one line naming the option and the value (no stack trace) before exiting 1.
 */
export function arg<T>(parse: (v: string) => T): (v: string) => T {
  return (v) => {
    try {
      return parse(v);
    } catch (e) {
      throw new InvalidArgumentError((e as Error).message);
    }
  };
}

export function positiveInt(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < 1) throw new InvalidArgumentError('Expected a positive integer.');
  return n;
}

export const durationArg = arg((v) => parseDuration(v));

export function port(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('Expected a port number 0-65535.');
  return n;
}

/** Inclusive range of ports a set of processes may bind, one each. */
export interface PortRange {
  first: number;
  last: number;
}

/** "8000" or Dask's "8000:8010" (each process takes one port of the range). */
export function portRange(v: string): PortRange {
  const [a, b, ...rest] = v.split(':');
  if (rest.length) throw new InvalidArgumentError('Expected a port or a range FIRST:LAST, like 9000:9010.');
  const first = port(a);
  const last = b === undefined ? first : port(b);
  if (last < first) throw new InvalidArgumentError(`The range ${v} is empty: the last port comes before the first.`);
  return { first, last };
}

/** Checks the memory limit's syntax now (one clear error), keeps the text: 'auto' depends on --nworkers. */
export const memoryLimitArg = arg((v) => {
  parseMemoryLimit(v);
  return v;
});

export const resourcesArg = arg((v) => {
  parseResources(v);
  return v;
});

/** The options every pdask command shares: TLS files and --quiet. */
export function withCommonOptions(program: Command): Command {
  return program
    .option('--tls-cert <file>', 'TLS certificate (PEM)')
    .option('--tls-key <file>', 'TLS private key (PEM)')
    .option('--tls-ca-file <file>', 'TLS CA certificate (PEM)')
    .option('--quiet', 'log only errors');
}

export interface CommonOptions {
  tlsCert?: string;
  tlsKey?: string;
  tlsCaFile?: string;
  quiet?: boolean;
}

export function tlsFiles(o: CommonOptions): TlsFiles | undefined {
  return o.tlsCert || o.tlsKey || o.tlsCaFile ? { cert: o.tlsCert, key: o.tlsKey, ca: o.tlsCaFile } : undefined;
}
