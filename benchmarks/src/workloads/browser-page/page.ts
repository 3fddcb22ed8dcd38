/**
 * The browser benchmark's page (window.pdaskBench): makes the data (not timed), then each timed
 * run is one call of `sum()`, `groupbyMean()`, `duckSum()` or `duckGroupbyMean()` from the driver.
 * DuckDB-Wasm is loaded only in the pages that benchmark it (it keeps its own copy of the data).
 */
import * as duckdb from '@duckdb/duckdb-wasm';
// The shared-memory kernels inlined, so large arrays go to the arena and are reduced in place
// (without it a page has no arena: blocks sit in a SharedArrayBuffer and are copied to be reduced).
import '@pdask/kernels/shared';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import * as da from '@pdask/array';
import { setWorkerSource, sharedThreadsExecutor } from '@pdask/core';
import { fromColumns } from '@pdask/dataframe';
import { groupColumns, uniform } from '../../random';

setWorkerSource({ workerUrl: new URL('./worker.js', import.meta.url) });


/** Shared memory where the page is cross-origin isolated (fromColumns then uses it in place). */
function buffer(bytes: number): ArrayBufferLike {
  return crossOriginIsolated ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}


let dx: da.ChunkedArray | undefined;
let rows: { k: Int32Array; v: Float64Array } | undefined;
let parts = 4;
let conn: duckdb.AsyncDuckDBConnection | undefined;

async function duck(): Promise<duckdb.AsyncDuckDBConnection> {
  if (conn) return conn;
  const worker = new Worker(new URL('./duckdb-browser-eh.worker.js', import.meta.url));
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(new URL('./duckdb-eh.wasm', import.meta.url).href);
  conn = await db.connect();
  return conn;
}

/** Group means as [key, mean] pairs sorted by key. */
type Means = [number, number][];

const api = {
  info: () => ({ mode: sharedThreadsExecutor().mode, workers: sharedThreadsExecutor().pool.options.size, isolated: crossOriginIsolated, cores: navigator.hardwareConcurrency }),
  /** The pool is started outside the timed runs (Node's is started by its warm-up run too). */
  async warm(): Promise<void> {
    await da.fromArray(new Float64Array(16), { chunks: 4 }).sum().compute({ scheduler: 'threads' });
  },
  makeSum(n: number, chunks: number): void {
    dx = da.fromArray(uniform(n, 1, new Float64Array(buffer(n * 8))), { chunks, name: 'bench-browser-sum-x' });
  },
  async sum(): Promise<number> {
    return (await dx!.sum().compute({ scheduler: 'threads' })) as number;
  },
  makeGroupby(n: number, npartitions: number): void {
    rows = groupColumns(n, buffer(n * 12));
    parts = npartitions;
  },
  async groupbyMean(): Promise<Means> {
    const r = await fromColumns({ k: rows!.k, v: rows!.v }, { npartitions: parts }).groupby('k').col('v').mean().compute({ scheduler: 'threads' });
    return r
      .entries()
      .map(([k, m]) => [Number(k), Number(m)] as [number, number])
      .sort((a, b) => a[0] - b[0]);
  },
  async duckMakeSum(n: number): Promise<void> {
    const c = await duck();
    await c.insertArrowFromIPCStream(tableToIPC(tableFromArrays({ x: uniform(n, 1) }), 'stream'), { name: 'sums', create: true });
  },
  async duckSum(): Promise<number> {
    const r = await (await duck()).query('select sum(x) as s from sums');
    return Number(r.getChildAt(0)!.get(0));
  },
  async duckMakeGroupby(n: number): Promise<void> {
    const c = await duck();
    const { k, v } = groupColumns(n, buffer(n * 12));
    // Arrow builds from plain (not shared) memory: copies made here, outside the timed runs.
    await c.insertArrowFromIPCStream(tableToIPC(tableFromArrays({ k: Int32Array.from(k), v: Float64Array.from(v) }), 'stream'), { name: 'rows', create: true });
  },
  async duckGroupbyMean(): Promise<Means> {
    const r = await (await duck()).query('select k, avg(v) as m from rows group by k order by k');
    const ks = r.getChildAt(0)!;
    const ms = r.getChildAt(1)!;
    return Array.from({ length: r.numRows }, (_, i) => [Number(ks.get(i)), Number(ms.get(i))] as [number, number]);
  },
};

/** The calls the driver times: each is timed in the page (see `timed`). */
type TimedCall = 'sum' | 'groupbyMean' | 'duckSum' | 'duckGroupbyMean';

/**
 * Runs one timed call and times it here, so the driver's round trip to the page (playwright's
 * evaluate) is not counted, as it is not for Node: [ms, result]. performance.now() has 5 µs
 * resolution in a cross-origin isolated page.
 */
async function timed(which: TimedCall): Promise<[number, unknown]> {
  const t0 = performance.now();
  const r = await api[which]();
  return [performance.now() - t0, r];
}

export type BenchPage = typeof api & { timed: typeof timed };
(globalThis as unknown as { pdaskBench: BenchPage }).pdaskBench = { ...api, timed };
document.title = 'ready';
