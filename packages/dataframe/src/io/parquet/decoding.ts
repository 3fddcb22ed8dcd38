/**
 * What hyparquet is given to decode other writers' files: the decompressors of
 * hyparquet-compressors (gzip, zstd, lz4, brotli beside the built-in snappy) and parsers that keep
 * times as bigint nanoseconds (pandas' datetime64[ns]) instead of millisecond Dates.
 */
import type { ParquetReadOptions, ParquetParsers } from 'hyparquet';
import type { ColumnPlan, NestedPlan } from './column-types';

const NS_PER_DAY = 86_400_000_000_000n;

export const PARSERS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (v: bigint) => BigInt(v) * 1_000_000n,
  timestampFromMicroseconds: (v: bigint) => BigInt(v) * 1_000n,
  timestampFromNanoseconds: (v: bigint) => BigInt(v),
  dateFromDays: (days: number) => BigInt(days) * NS_PER_DAY,
};

type Compressors = NonNullable<ParquetReadOptions['compressors']>;
let compressors: Promise<Compressors> | undefined;

/** hyparquet-compressors, loaded once (ESM only, so a dynamic import keeps the CommonJS build loadable). */
export function decompressors(): Promise<Compressors> {
  compressors ??= import('hyparquet-compressors').then((m) => m.compressors as Compressors);
  return compressors;
}

/**
 * hyparquet scales a decimal by multiplying by 10^-scale, which is off by an ulp for many values
 * (0.07 * 100 …); dividing the integer by 10^scale gives the double nearest the decimal, as
 * pyarrow's conversion to float does.
 */
export function rescaleDecimal(v: number, scale: number): number {
  if (scale === 0) return v;
  const f = 10 ** scale;
  const unscaled = Math.round(v * f);
  return Math.abs(unscaled) <= Number.MAX_SAFE_INTEGER ? unscaled / f : v;
}

/** A nested value as hyparquet assembled it, made what Arrow's builders take: missing (undefined) as null, decimals rescaled. */
function nestedValue(p: NestedPlan, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (p.kind) {
    case 'leaf':
      return p.decimalScale === undefined ? v : rescaleDecimal(v as number, p.decimalScale);
    case 'list':
      return (v as unknown[]).map((x) => nestedValue(p.item, x));
    case 'struct':
      return Object.fromEntries(p.fields.map(([name, f]) => [name, nestedValue(f, (v as Record<string, unknown>)[name])]));
  }
}

/** A decoded cell in the column's cell domain (see filters.ts' Cell); null when missing. */
export function cellOf(plan: ColumnPlan, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (plan.decode === 'decimal') return rescaleDecimal(v as number, plan.scale ?? 0);
  if (plan.decode === 'nested') return nestedValue(plan.nested ?? { kind: 'leaf' }, v);
  return v;
}
