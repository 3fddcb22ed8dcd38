/** The performance report page: everything comes from the JSON embedded in the file (no network). */
import './style.css';
import { h } from './dom.js';
import { fmtInt, fmtMs } from './format.js';
import { MemoryChart } from './memchart.js';
import { REPORT_DATA_ID, doneDuring, reportState, type ReportData } from './report-data.js';
import { prefixTimeSummary } from './store.js';
import { TaskStreamView } from './taskstream.js';
import { renderProgress, renderWorkerMemory } from './widgets.js';

const raw = document.getElementById(REPORT_DATA_ID)?.textContent ?? 'null';
const data = JSON.parse(raw) as ReportData | null;

function main(d: ReportData): void {
  const state = reportState(d);
  const done = doneDuring(d);
  const summary = prefixTimeSummary(state);
  const computed = summary.reduce((s, r) => s + r.tasks, 0);
  const workers = new Set(state.rows.map((r) => r.worker));
  const card = (label: string, value: string): HTMLElement => h('div', {}, h('b', {}, value), label);
  const streamCanvas = h('canvas', { id: 'task-stream' });
  const memory = h('div', { id: 'memory-chart' });
  const progress = h('div', { id: 'progress' });
  const workerMemory = h('div', { id: 'worker-memory' });
  const maxTotal = Math.max(1, ...summary.map((r) => r.compute + r.transfer + r.spill));
  document.body.append(
    h('header', {}, h('span', { class: 'brand' }, d.title), h('span', { class: 'conn' }, `recorded ${new Date(d.start).toISOString()}`)),
    h(
      'main',
      {},
      h(
        'div',
        { class: 'summary-cards', id: 'summary-cards' },
        card('duration', fmtMs(d.stop - d.start)),
        card('tasks computed', fmtInt(computed)),
        card('workers', fmtInt(workers.size)),
        card('errors', fmtInt(state.exceptions.length)),
        card('frames recorded', fmtInt(d.frames.length)),
      ),
      h('section', {}, h('h2', {}, 'Task stream'), streamCanvas),
      h(
        'section',
        {},
        h('h2', {}, 'Where time went, per prefix'),
        h(
          'table',
          { class: 'table', id: 'prefix-time' },
          h('thead', {}, h('tr', {}, ...['prefix', 'tasks', 'done', 'compute', 'mean', 'transfer', 'spill', 'errors', 'share of the time', ''].map((c) => h('th', {}, c)))),
          h(
            'tbody',
            {},
            ...summary.map((r) =>
              h(
                'tr',
                { 'data-prefix': r.prefix, 'data-tasks': r.tasks, 'data-compute-ms': r.compute },
                h('td', { class: 'name' }, h('span', { class: 'swatch', style: `background:${state.prefixes.find((p) => p.prefix === r.prefix)?.color ?? '#999'}` }), r.prefix),
                h('td', { class: 'num' }, fmtInt(r.tasks)),
                h('td', { class: 'num' }, fmtInt(done.get(r.prefix) ?? 0)),
                h('td', { class: 'num' }, fmtMs(r.compute)),
                h('td', { class: 'num' }, r.tasks ? fmtMs(r.compute / r.tasks) : '—'),
                h('td', { class: 'num' }, fmtMs(r.transfer)),
                h('td', { class: 'num' }, fmtMs(r.spill)),
                h('td', { class: 'num' }, fmtInt(r.errors)),
                h(
                  'td',
                  { class: 'barcell' },
                  h('div', { class: 'bar' }, h('span', { class: 'seg', style: `width:${(100 * (r.compute + r.transfer + r.spill)) / maxTotal}%;background:#1f77b4` })),
                ),
                h('td', { class: 'num' }, `${(100 * r.share).toFixed(1)} %`),
              ),
            ),
          ),
        ),
      ),
      h('section', {}, h('h2', {}, 'Progress at the end'), progress),
      h('section', {}, h('h2', {}, 'Cluster memory over time'), memory),
      h('section', {}, h('h2', {}, 'Memory per worker at the end'), workerMemory),
      state.exceptions.length
        ? h('section', {}, h('h2', {}, 'Exceptions'), ...state.exceptions.map((e) => h('div', { class: 'exception' }, h('b', {}, `${e.errorType}: ${e.message}`), ` — ${e.key}`, h('pre', { class: 'stack' }, e.stack))))
        : null,
    ),
  );
  new TaskStreamView(streamCanvas as HTMLCanvasElement, { headroom: 0 }).update(state);
  renderProgress(progress, state.prefixes.filter((p) => p.total > 0 || (done.get(p.prefix) ?? 0) > 0));
  renderWorkerMemory(workerMemory, state.workers);
  new MemoryChart(memory).update(state.memory);
  window.pdaskReport = { tasks: state.tasks.length, prefixes: summary.map((r) => r.prefix) };
}

declare global {
  interface Window {
    pdaskReport?: { tasks: number; prefixes: string[] };
  }
}

if (data) main(data);
else document.body.append(h('p', {}, 'This report has no data.'));
