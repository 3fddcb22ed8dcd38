/** The reference values recorded by fixtures/make_bag_extras.py (Dask 2022.12.1, CPython 3.11). */
import { readFileSync } from 'node:fs';

export interface Extras {
  dask: string;
  /** Names of the files to_textfiles wrote for n partitions. */
  textfileNames: Record<string, string[]>;
  /** Files written in `written` order; read_text of their glob gives their contents in `read` order. */
  globOrder: { written: string[]; read: string[] };
  mapGenerator: { input: number[]; npartitions: number; map: number[][]; mapThenSum: number[]; mapThenFlatten: number[]; count: number };
  str: Record<string, unknown[]> & { input: string[] };
  randomSample: Record<string, { seed: number; n: number; npartitions: number; prob: number; sample: number[] }>;
  mt: { seed: number; random: number[]; randint: number[]; bigSeedRandom: number[] };
  unzip: { input: [number, string, boolean][]; out: unknown[][] };
  bagMap: { a: number[]; c: number[]; npartitions: number; addAC: number[]; scalarFirst: number[]; middle: unknown[][]; withItem: number[]; mapPartitionsLens: unknown[]; mismatchError: string; noBagError: string };
  repartition: { input: number[][]; to7: number[][]; to2: number[][] };
}

export const EXTRAS = JSON.parse(readFileSync(new URL('./fixtures/bag_extras.json', import.meta.url), 'utf8')) as Extras;
