/** Parsing of the CLI values Dask accepts: memory sizes, resources, durations; options shared by the commands. */
import { parseBytes } from '@pdask/core';
import type { Command } from 'commander';
import { totalmem } from 'node:os';
import type { TlsFiles } from '../comm/security';

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

/** Seconds ("60", "60s", "5m", "1h") to milliseconds. */
export function parseDuration(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(s.trim());
  if (!m) throw new Error(`Invalid duration '${s}': use seconds (60), or 500ms, 60s, 5m, 1h`);
  const n = Number(m[1]);
  return n * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] ?? 1000);
}

export function positiveInt(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got '${v}'`);
    return n;
  };
}

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
