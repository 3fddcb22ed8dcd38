/** /workers: one row per worker; a click shows that worker's last log lines. */
import './style.css';
import type { WorkerLogResponse, WorkerRow } from '../../src/dashboard/protocol.js';
import { byId, h, header } from './dom.js';
import { fmtBytes, fmtInt } from './format.js';
import { runLive } from './live.js';

document.body.append(
  header('workers'),
  h(
    'main',
    {},
    h('section', {}, h('h2', {}, 'Workers ', h('span', { id: 'worker-count', class: 'muted' })), h('div', { id: 'workers' })),
    h('section', {}, h('h2', { id: 'log-title' }, 'Log'), h('pre', { id: 'worker-log', class: 'log' }, 'Click a worker to see its log.')),
  ),
);

let selected: string | null = null;
let now = Date.now();

function ago(t: number): string {
  const s = Math.max(0, (now - t) / 1000);
  return s < 1 ? 'now' : `${s.toFixed(s < 10 ? 1 : 0)} s ago`;
}

async function showLog(id: string): Promise<void> {
  selected = id;
  byId('log-title').textContent = `Log of ${id}`;
  const pre = byId('worker-log');
  pre.textContent = 'loading…';
  try {
    const r = await fetch(`api/worker-log?worker=${encodeURIComponent(id)}`);
    if (!r.ok) throw new Error(`HTTP ${r.status}: ${await r.text()}`);
    const body = (await r.json()) as WorkerLogResponse;
    if (selected !== id) return;
    pre.textContent = body.lines.length ? body.lines.join('\n') : '(no log lines)';
    pre.dataset.worker = body.worker;
  } catch (e) {
    pre.textContent = `Could not load the log: ${(e as Error).message}`;
  }
}

function row(w: WorkerRow): HTMLElement {
  const m = w.memory;
  const tr = h(
    'tr',
    { 'data-worker': w.id, class: `${w.status}${w.id === selected ? ' selected' : ''}`, title: 'click for the log' },
    h('td', {}, w.address),
    h('td', {}, w.name ?? ''),
    h('td', { class: 'num' }, String(w.threads)),
    h('td', { class: 'num' }, `${fmtBytes(m.managed + m.unmanaged)}${m.limit !== null ? ` / ${fmtBytes(m.limit)}` : ''}`),
    h('td', { class: 'num' }, w.cpu === null ? '—' : `${w.cpu.toFixed(0)} %`),
    h('td', { class: 'num' }, `${fmtInt(w.executing)} / ${fmtInt(w.queued)}`),
    h('td', { class: 'num' }, fmtInt(w.inMemory)),
    h('td', { class: 'num' }, fmtBytes(m.spilled)),
    h('td', {}, w.status),
    h('td', { class: 'num' }, ago(w.lastSeen)),
  );
  tr.addEventListener('click', () => {
    for (const other of tr.parentElement?.children ?? []) other.classList.remove('selected');
    tr.classList.add('selected');
    void showLog(w.id);
  });
  return tr;
}

runLive({
  render(state, prev) {
    if (state.workers === prev.workers && prev.connected) return;
    now = state.now || Date.now();
    byId('worker-count').textContent = `(${state.workers.length})`;
    const head = ['address', 'name', 'threads', 'memory', 'CPU', 'executing / queued', 'results', 'spilled', 'status', 'last seen'];
    byId('workers').replaceChildren(
      h('table', { class: 'table', id: 'workers-table' }, h('thead', {}, h('tr', {}, ...head.map((c) => h('th', {}, c)))), h('tbody', {}, ...state.workers.map(row))),
    );
  },
});
