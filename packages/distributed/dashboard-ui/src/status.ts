/** /status: task stream, progress per prefix, memory and processing per worker, memory over time. */
import './style.css';
import { byId, h, header } from './dom.js';
import { fmtInt, fmtMs } from './format.js';
import { runLive } from './live.js';
import { MemoryChart } from './memchart.js';
import { TaskStreamView } from './taskstream.js';
import { renderProcessing, renderProgress, renderWorkerMemory } from './widgets.js';

document.body.append(
  header('status'),
  h(
    'main',
    { class: 'grid' },
    h('section', { class: 'wide' }, h('h2', {}, 'Task stream ', h('span', { id: 'stream-count', class: 'muted' })), h('canvas', { id: 'task-stream' })),
    h('section', {}, h('h2', {}, 'Progress'), h('div', { id: 'progress' })),
    h('section', {}, h('h2', {}, 'Memory per worker'), h('div', { id: 'worker-memory' }), h('h2', {}, 'Processing and occupancy'), h('div', { id: 'processing' })),
    h('section', { class: 'wide' }, h('h2', {}, 'Cluster memory over time'), h('div', { id: 'memory-chart' })),
  ),
);

const stream = new TaskStreamView(byId<HTMLCanvasElement>('task-stream'));
const chart = new MemoryChart(byId('memory-chart'));
runLive({
  render(state, prev) {
    stream.update(state);
    if (state.tasks !== prev.tasks) byId('stream-count').textContent = `(${fmtInt(state.tasks.length)} tasks kept)`;
    if (state.prefixes !== prev.prefixes || !prev.connected) renderProgress(byId('progress'), state.prefixes);
    if (state.workers !== prev.workers || !prev.connected) {
      renderWorkerMemory(byId('worker-memory'), state.workers);
      renderProcessing(byId('processing'), state.workers);
    }
    chart.update(state.memory);
  },
});
// Hovering the task stream names the task under the pointer.
const canvas = byId<HTMLCanvasElement>('task-stream');
const tip = h('div', { class: 'tip', id: 'task-tip', hidden: '' });
document.body.append(tip);
canvas.addEventListener('mousemove', (ev) => {
  const state = window.pdaskDashboard?.state;
  const r = canvas.getBoundingClientRect();
  const e = state ? stream.hit(state, ev.clientX - r.left, ev.clientY - r.top) : null;
  if (!e) return void (tip.hidden = true);
  tip.textContent = `${e.key} · ${e.kind} · ${fmtMs(e.stop - e.start)} on ${e.worker} #${e.thread}`;
  tip.style.left = `${ev.pageX + 12}px`;
  tip.style.top = `${ev.pageY + 12}px`;
  tip.hidden = false;
});
canvas.addEventListener('mouseleave', () => void (tip.hidden = true));
window.addEventListener('resize', () => {
  const s = window.pdaskDashboard?.state;
  if (s) stream.update(s);
});
