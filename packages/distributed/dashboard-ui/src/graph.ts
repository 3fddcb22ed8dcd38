/**
 * /graph: the graph being executed, laid out with dagre and drawn on a canvas, coloured by state;
 * when the server sends a summary by prefix (graphs above its node limit), one box per prefix with
 * its progress, and the summary as a table. The layout is computed again only when the nodes or
 * edges change; a change of states only repaints.
 */
import './style.css';
import dagre from '@dagrejs/dagre';
import type { GraphView, PrefixProgress, TaskState } from '../../src/dashboard/protocol.js';
import { byId, h, header } from './dom.js';
import { fmtInt } from './format.js';
import { runLive } from './live.js';
import { STATE_COLORS } from './widgets.js';

document.body.append(
  header('graph'),
  h(
    'main',
    {},
    h('section', {}, h('h2', {}, 'Task graph ', h('span', { id: 'graph-info', class: 'muted' })), h('div', { class: 'legend', id: 'legend' }), h('div', { class: 'graphbox' }, h('canvas', { id: 'graph' }))),
    h('section', { id: 'prefix-summary-section' }, h('h2', {}, 'Summary by prefix'), h('div', { id: 'prefix-summary' })),
  ),
);

byId('legend').append(...(Object.keys(STATE_COLORS) as TaskState[]).map((s) => h('span', {}, h('span', { class: 'swatch', style: `background:${STATE_COLORS[s]}` }), s)));

interface Layout {
  signature: string;
  width: number;
  height: number;
  pos: Map<number, { x: number; y: number; w: number; h: number }>;
  edges: { points: { x: number; y: number }[] }[];
}

let layout: Layout | null = null;

function signature(g: GraphView): string {
  return `${g.mode}:${g.nodes.length}:${g.edges.length}:${g.nodes.map((n) => n.id).join(',')}|${g.edges.map((e) => e.join('-')).join(',')}`;
}

function computeLayout(g: GraphView): Layout {
  const dg = new dagre.graphlib.Graph();
  const small = g.mode === 'tasks';
  dg.setGraph({ rankdir: 'LR', nodesep: small ? 4 : 20, ranksep: small ? 24 : 60, marginx: 10, marginy: 10 });
  dg.setDefaultEdgeLabel(() => ({}));
  for (const n of g.nodes) dg.setNode(String(n.id), small ? { width: 12, height: 12 } : { width: 170, height: 54 });
  for (const [a, b] of g.edges) dg.setEdge(String(a), String(b));
  dagre.layout(dg);
  const pos = new Map<number, { x: number; y: number; w: number; h: number }>();
  for (const n of g.nodes) {
    const p = dg.node(String(n.id));
    pos.set(n.id, { x: p.x, y: p.y, w: p.width, h: p.height });
  }
  const edges = dg.edges().map((e) => ({ points: dg.edge(e).points ?? [] }));
  const graph = dg.graph();
  return { signature: signature(g), width: graph.width ?? 100, height: graph.height ?? 100, pos, edges };
}

function draw(g: GraphView, prefixes: readonly PrefixProgress[]): void {
  const canvas = byId<HTMLCanvasElement>('graph');
  if (!layout || layout.signature !== signature(g)) layout = computeLayout(g);
  const ratio = window.devicePixelRatio || 1;
  const maxW = Math.max(300, canvas.parentElement?.clientWidth ?? 900);
  const fit = Math.min(1, maxW / layout.width);
  const w = layout.width * fit;
  const hgt = Math.max(80, layout.height * fit);
  canvas.width = Math.round(w * ratio);
  canvas.height = Math.round(hgt * ratio);
  canvas.style.width = `${w}px`;
  canvas.style.height = `${hgt}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(ratio * fit, 0, 0, ratio * fit, 0, 0);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, layout.width, layout.height);
  ctx.strokeStyle = '#bbb';
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const e of layout.edges) {
    e.points.forEach((p, i) => (i ? ctx.lineTo(p.x, p.y) : ctx.moveTo(p.x, p.y)));
  }
  ctx.stroke();
  if (g.mode === 'tasks') {
    const byState = new Map<TaskState, number[]>();
    for (const n of g.nodes) {
      const p = layout.pos.get(n.id);
      if (!p) continue;
      let list = byState.get(n.state);
      if (!list) byState.set(n.state, (list = []));
      list.push(p.x - p.w / 2, p.y - p.h / 2, p.w, p.h);
    }
    for (const [state, list] of byState) {
      ctx.fillStyle = STATE_COLORS[state];
      for (let i = 0; i < list.length; i += 4) ctx.fillRect(list[i], list[i + 1], list[i + 2], list[i + 3]);
    }
    canvas.dataset.nodes = String(g.nodes.length);
    return;
  }
  const colors = new Map(prefixes.map((p) => [p.prefix, p.color]));
  ctx.font = '12px sans-serif';
  ctx.textBaseline = 'top';
  for (const n of g.nodes) {
    const p = layout.pos.get(n.id);
    if (!p) continue;
    const x = p.x - p.w / 2;
    const y = p.y - p.h / 2;
    ctx.fillStyle = '#fafafa';
    ctx.fillRect(x, y, p.w, p.h);
    ctx.strokeStyle = colors.get(n.prefix) ?? n.color;
    ctx.lineWidth = 2;
    ctx.strokeRect(x, y, p.w, p.h);
    ctx.fillStyle = '#222';
    ctx.fillText(n.prefix, x + 6, y + 5, p.w - 12);
    ctx.fillText(`${fmtInt(n.done)} / ${fmtInt(n.total)}${n.erred ? ` · ${n.erred} erred` : ''}`, x + 6, y + 20, p.w - 12);
    // A bar of the states, in proportion.
    let bx = x + 6;
    const bw = p.w - 12;
    const total = Math.max(1, n.total);
    for (const s of ['memory', 'processing', 'erred', 'waiting'] as const) {
      const sw = (bw * n[s]) / total;
      ctx.fillStyle = STATE_COLORS[s];
      ctx.fillRect(bx, y + 38, sw, 8);
      bx += sw;
    }
    const released = Math.max(0, n.total - n.memory - n.processing - n.erred - n.waiting);
    ctx.fillStyle = STATE_COLORS.released;
    ctx.fillRect(bx, y + 38, (bw * released) / total, 8);
  }
  canvas.dataset.nodes = String(g.nodes.length);
}

function summary(g: GraphView): void {
  const section = byId('prefix-summary-section');
  if (g.mode !== 'prefixes') {
    section.hidden = true;
    return;
  }
  section.hidden = false;
  const head = ['prefix', 'total', 'done', 'waiting', 'processing', 'memory', 'erred', 'released'];
  byId('prefix-summary').replaceChildren(
    h(
      'table',
      { class: 'table', id: 'prefix-table' },
      h('thead', {}, h('tr', {}, ...head.map((c) => h('th', {}, c)))),
      h(
        'tbody',
        {},
        ...g.nodes.map((n) =>
          h(
            'tr',
            { 'data-prefix': n.prefix, 'data-done': n.done },
            h('td', {}, h('span', { class: 'swatch', style: `background:${n.color}` }), n.prefix),
            ...[n.total, n.done, n.waiting, n.processing, n.memory, n.erred, n.released].map((v) => h('td', { class: 'num' }, fmtInt(v))),
          ),
        ),
      ),
    ),
  );
}

runLive({
  render(state, prev) {
    const g = state.graph;
    if (!g || (g === prev.graph && state.prefixes === prev.prefixes)) return;
    byId('graph-info').textContent = g.mode === 'tasks' ? `(${fmtInt(g.nodes.length)} tasks)` : `(summary of ${g.nodes.length} prefixes: the graph is above the server's node limit)`;
    byId('graph').dataset.mode = g.mode;
    draw(g, state.prefixes);
    summary(g);
  },
});
