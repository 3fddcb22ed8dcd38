/** What the dataframe test drives in the page (window.pdaskTest), whichever bundler built it. */
import { domProgress, sharedThreadsExecutor, type ProgressUpdate } from '@pdask/core';
import * as dd from '@pdask/dataframe';
import { blobGroupBy, mlExample, seedExample } from './seed-dataframe';

const failure = (e: unknown): { name: string; message: string } => (e instanceof Error ? { name: e.name, message: e.message } : { name: 'non-Error', message: String(e) });

/** The examples on the default scheduler: the threads executor, on Web Workers. */
async function run() {
  const seed = await seedExample();
  const ml = await mlExample(seed.ddf);
  const blob = await blobGroupBy(await (await fetch('./fx.parquet')).blob());
  const ex = sharedThreadsExecutor();
  return { seed: { text: seed.text, index: seed.index, values: seed.values }, ml, blob, workersStarted: ex.pool.slots.size };
}

/** What needs no workers: the DOM progress bar, visualize(), remote readers, Node-only refusals. */
async function syncChecks() {
  const host = document.body.appendChild(document.createElement('div'));
  const graph = document.body.appendChild(document.createElement('div'));
  const updates: ProgressUpdate[] = [];
  const seed = await seedExample({ scheduler: 'sync', progress: domProgress(host, { minIntervalMs: 0, onUpdate: (u) => updates.push(u) }) });
  const bar = host.querySelector('progress');
  const progress = {
    value: bar?.getAttribute('value'),
    max: bar?.getAttribute('max'),
    text: host.querySelector('.pdask-progress-text')?.textContent,
    updates: updates.length,
    finished: updates.filter((u) => u.finished).length,
    monotone: updates.every((u, i) => i === 0 || u.done >= updates[i - 1].done),
  };
  const svgText = await seed.result.visualize();
  graph.innerHTML = svgText;
  const svg = { head: svgText.slice(0, 200), nodes: graph.querySelectorAll('svg g.node').length, hasSvg: !!graph.querySelector('svg') };
  const big = await dd.readParquet(new URL('./big.parquet', location.href).href, { columns: ['b'], filters: [['id', '<', 1000]] });
  const b = await big.compute({ scheduler: 'sync' });
  const url = { n: b.numRows, first: b.col('b').at(0), last: b.col('b').at(b.numRows - 1), columns: b.columns };
  const csvFrame = await dd.readCsv(new URL('./data.csv', location.href).href, { blocksize: 500 });
  const c = await csvFrame.compute({ scheduler: 'sync' });
  const csv = { npartitions: csvFrame.npartitions, n: c.numRows, sum: Array.from({ length: c.numRows }, (_, i) => Number(c.col('v').at(i))).reduce((a, v) => a + v, 0) };
  const nodeOnly = await dd.readParquet('/data/x.parquet').then(() => ({ name: 'none', message: 'read' }), failure);
  const toCsv = await seed.ddf.toCsv('/tmp/out-*.csv').then(() => ({ name: 'none', message: 'written' }), failure);
  return { progress, svg, url, csv, nodeOnly, toCsv, bufferGlobal: typeof (globalThis as { Buffer?: unknown }).Buffer };
}

const api = {
  run,
  syncChecks,
  info: () => {
    const ex = sharedThreadsExecutor();
    return { mode: ex.mode, platform: ex.platform, workers: ex.pool.options.size, cores: navigator.hardwareConcurrency, isolated: crossOriginIsolated };
  },
};

(globalThis as unknown as { pdaskTest: typeof api }).pdaskTest = api;
document.title = 'ready';
