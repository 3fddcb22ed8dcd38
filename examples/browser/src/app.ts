/**
 * The example app: a Parquet file chosen by the user is read in the page (`readParquet(File)`),
 * grouped (`groupby(key).col(value).mean()`) and its value column taken as a chunked array (mean,
 * standard deviation, min, max), both computed on the Web Worker pool with a live progress bar;
 * then the group-by's task graph is drawn as SVG.
 */
import { compute, domProgress, setWorkerSource, sharedThreadsExecutor, type ProgressUpdate } from '@pdask/core';
import * as dd from '@pdask/dataframe';

setWorkerSource({ workerUrl: new URL('./worker.js', import.meta.url) });

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const fileInput = $<HTMLInputElement>('file');
const keySelect = $<HTMLSelectElement>('key');
const valueSelect = $<HTMLSelectElement>('value');
const runButton = $<HTMLButtonElement>('run');
const status = $<HTMLParagraphElement>('status');

/** What the page has done, for a reader or a test: the state and the last progress update. */
const state: { phase: 'idle' | 'running' | 'done' | 'error'; last?: ProgressUpdate; updates: number } = { phase: 'idle', updates: 0 };
(globalThis as unknown as { pdaskApp: typeof state }).pdaskApp = state;

const ex = sharedThreadsExecutor();
$('mode').textContent = `${ex.pool.options.size} Web Workers, '${ex.mode}' mode (${crossOriginIsolated ? 'cross-origin isolated: data crosses in shared memory' : 'not cross-origin isolated: buffers are transferred'})`;

let frame: dd.DataFrame | undefined;

const NUMERIC = /^(u?int|float)/;

function fillSelect(select: HTMLSelectElement, names: string[], chosen: string | undefined): void {
  select.replaceChildren(...names.map((n) => new Option(n, n, false, n === chosen)));
}

function fillTable(table: HTMLElement, head: string[], rows: (string | number)[][]): void {
  const tr = (cells: (string | number)[], tag: 'td' | 'th'): HTMLTableRowElement => {
    const row = document.createElement('tr');
    for (const c of cells) {
      const cell = document.createElement(tag);
      cell.textContent = typeof c === 'number' ? String(Number(c.toPrecision(12))) : c;
      row.append(cell);
    }
    return row;
  };
  table.replaceChildren(tr(head, 'th'), ...rows.map((r) => tr(r, 'td')));
}

async function choose(file: File): Promise<void> {
  // One partition per row group, so that even a small file spreads over the workers.
  frame = await dd.readParquet(file, { splitRowGroups: true });
  const dtypes = frame.dtypes;
  const names = frame.columns;
  const numeric = names.filter((n) => NUMERIC.test(dtypes[n]));
  // Defaults: group by the first non-float column, average the first float (else numeric) one.
  const key = names.find((n) => !/^float/.test(dtypes[n])) ?? names[0];
  const value = numeric.find((n) => n !== key && /^float/.test(dtypes[n])) ?? numeric.find((n) => n !== key);
  fillSelect(keySelect, names, key);
  fillSelect(valueSelect, numeric, value);
  runButton.disabled = !value;
  status.textContent = `${file.name}: ${frame.npartitions} partition(s), columns ${names.map((n) => `${n} (${dtypes[n]})`).join(', ')}`;
  if (value) await run();
}

async function run(): Promise<void> {
  if (!frame) return;
  const key = keySelect.value;
  const value = valueSelect.value;
  state.phase = 'running';
  runButton.disabled = true;
  const progress = domProgress($('progress'), {
    onUpdate: (u) => {
      state.last = u;
      state.updates++;
    },
  });
  try {
    status.textContent = `group-by mean of ${value} by ${key}...`;
    const mean = frame.groupby(key).col(value).mean();
    const means = await mean.compute({ scheduler: 'threads', progress });
    fillTable(
      $('groupby'),
      [key, `mean(${value})`],
      means
        .entries()
        .map(([k, m]) => [k as string | number, m as number])
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    );

    status.textContent = `chunked array of ${value}...`;
    const x = await frame.col(value).toArray({ lengths: true, scheduler: 'threads' });
    const [m, s, lo, hi] = await compute(x.mean(), x.std(), x.min(), x.max(), { scheduler: 'threads', progress });
    fillTable($('array'), ['length', 'chunks', 'mean', 'std', 'min', 'max'], [[x.shape[0], x.chunks[0].length, m as number, s as number, lo as number, hi as number]]);

    $('graph').innerHTML = await mean.visualize();
    status.textContent = 'done';
    state.phase = 'done';
  } catch (e) {
    state.phase = 'error';
    status.className = 'error';
    status.textContent = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  } finally {
    runButton.disabled = false;
  }
}

fileInput.addEventListener('change', () => {
  const file = fileInput.files?.[0];
  if (file) {
    choose(file).catch((e: unknown) => {
      state.phase = 'error';
      status.className = 'error';
      status.textContent = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    });
  }
});
runButton.addEventListener('click', () => void run());
document.title = 'pdask in the browser';
document.body.dataset.ready = 'true';
