/**
 * The task stream on a 2D canvas: one row per worker thread, a rectangle per task coloured by its
 * prefix; transfers (red, upper half of the row), spills (grey, lower half) and errors (black)
 * stand apart from computing. With 100,000 entries most rectangles are narrower than a pixel, so
 * neighbouring rectangles of one row and colour are merged before drawing and each colour is drawn
 * in one pass: a draw costs one walk over the entries plus at most a few rectangles per pixel column.
 */
import type { TaskStreamEntry } from '../../src/dashboard/protocol.js';
import { fallbackColor } from './format.js';
import type { DashboardState } from './store.js';

export const KIND_COLORS = { transfer: '#d62728', spill: '#7f7f7f', error: '#111111' } as const;

export interface StreamDrawStats {
  entries: number;
  rects: number;
  rows: number;
  ms: number;
}

const LABEL_WIDTH = 120;
const AXIS_HEIGHT = 18;

export class TaskStreamView {
  private version = -1;
  private width = 0;
  private height = 0;
  stats: StreamDrawStats = { entries: 0, rects: 0, rows: 0, ms: 0 };

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly options: { rowHeight?: number; minHeight?: number } = {},
  ) {}

  /** Redraws when the tasks or the canvas size changed since the last draw. */
  update(state: DashboardState): void {
    const cssWidth = Math.max(200, this.canvas.clientWidth || this.canvas.parentElement?.clientWidth || 800);
    const rowHeight = this.options.rowHeight ?? 16;
    const cssHeight = Math.max(this.options.minHeight ?? 120, AXIS_HEIGHT + state.rows.length * rowHeight + 4);
    const ratio = window.devicePixelRatio || 1;
    const w = Math.round(cssWidth * ratio);
    const hgt = Math.round(cssHeight * ratio);
    if (state.taskVersion === this.version && w === this.width && hgt === this.height) return;
    this.version = state.taskVersion;
    if (w !== this.width || hgt !== this.height) {
      this.width = w;
      this.height = hgt;
      this.canvas.width = w;
      this.canvas.height = hgt;
      this.canvas.style.height = `${cssHeight}px`;
    }
    const t0 = performance.now();
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    this.stats = { ...draw(ctx, state, cssWidth, cssHeight), ms: 0 };
    this.stats.ms = performance.now() - t0;
    this.canvas.dataset.entries = String(this.stats.entries);
    this.canvas.dataset.rects = String(this.stats.rects);
  }
}

function colorOf(e: TaskStreamEntry, prefixColors: Map<string, string>): string {
  if (e.kind !== 'compute') return KIND_COLORS[e.kind];
  let c = prefixColors.get(e.prefix);
  if (c === undefined) {
    c = fallbackColor(e.prefix);
    prefixColors.set(e.prefix, c);
  }
  return c;
}

function draw(ctx: CanvasRenderingContext2D, state: DashboardState, width: number, height: number): Omit<StreamDrawStats, 'ms'> {
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  const rows = state.rows;
  const plotW = width - LABEL_WIDTH - 8;
  const rowH = rows.length ? Math.max(4, Math.min(16, Math.floor((height - AXIS_HEIGHT - 4) / rows.length))) : 16;
  // Row by worker then thread: no string built per entry in the loop below.
  const index = new Map<string, number[]>();
  rows.forEach((r, i) => {
    let threads = index.get(r.worker);
    if (!threads) index.set(r.worker, (threads = []));
    threads[r.thread] = i;
  });
  ctx.font = '11px sans-serif';
  ctx.textBaseline = 'middle';
  const alive = new Set(state.workers.map((w) => w.id));
  rows.forEach((r, i) => {
    const y = AXIS_HEIGHT + i * rowH;
    if (i % 2) {
      ctx.fillStyle = '#f6f6f6';
      ctx.fillRect(LABEL_WIDTH, y, plotW, rowH);
    }
    ctx.fillStyle = alive.has(r.worker) ? '#333' : '#aaa';
    const name = state.workers.find((w) => w.id === r.worker)?.name ?? r.worker.replace(/^[a-z]+:\/\//, '');
    ctx.fillText(`${name.slice(-16)} #${r.thread}`, 4, y + rowH / 2, LABEL_WIDTH - 8);
  });
  const span = state.span;
  if (!span || plotW <= 0) return { entries: 0, rects: 0, rows: rows.length };
  const t0 = span.start;
  const t1 = Math.max(span.stop, t0 + 1);
  const scale = plotW / (t1 - t0);
  axis(ctx, t0, t1, LABEL_WIDTH, plotW);

  // Rectangles grouped by colour, after merging touching ones of the same row and colour.
  const prefixColors = new Map(state.prefixes.map((p) => [p.prefix, p.color]));
  const byColor = new Map<string, number[]>();
  const lastColor: (string | null)[] = new Array(rows.length).fill(null);
  const lastX0 = new Float64Array(rows.length);
  const lastX1 = new Float64Array(rows.length).fill(-Infinity);
  const lastKind: string[] = new Array(rows.length).fill('');
  let rects = 0;
  const flush = (row: number): void => {
    const color = lastColor[row];
    if (color === null) return;
    const y = AXIS_HEIGHT + row * rowH;
    const kind = lastKind[row];
    // Transfers in the upper half, spills in the lower half, so neither hides a computation.
    const half = Math.floor(rowH / 2);
    const top = kind === 'spill' ? y + half : y + 1;
    const h = kind === 'transfer' || kind === 'spill' ? half - 1 : rowH - 2;
    let list = byColor.get(color);
    if (!list) byColor.set(color, (list = []));
    // Whole pixels: no blending at the edges, so a colour on screen is the colour of its prefix.
    const x = Math.floor(LABEL_WIDTH + lastX0[row]);
    list.push(x, top, Math.max(1, Math.ceil(LABEL_WIDTH + lastX1[row]) - x), h);
    rects++;
    lastColor[row] = null;
  };
  let entries = 0;
  for (const chunk of state.tasks.chunks) {
    for (const e of chunk) {
      const row = index.get(e.worker)?.[e.thread];
      if (row === undefined) continue;
      entries++;
      const x0 = (e.start - t0) * scale;
      const x1 = (e.stop - t0) * scale;
      const color = colorOf(e, prefixColors);
      // Merge into the row's pending rectangle when it has the same colour and they touch (within a pixel).
      if (lastColor[row] === color && lastKind[row] === e.kind && x0 <= lastX1[row] + 1 && x1 >= lastX0[row] - 1) {
        if (x0 < lastX0[row]) lastX0[row] = x0;
        if (x1 > lastX1[row]) lastX1[row] = x1;
        continue;
      }
      flush(row);
      lastColor[row] = color;
      lastKind[row] = e.kind;
      lastX0[row] = x0;
      lastX1[row] = x1;
    }
  }
  for (let r = 0; r < rows.length; r++) flush(r);
  // Transfers, spills and errors last, on top of the computations they sit among.
  const kindColors = new Set<string>(Object.values(KIND_COLORS));
  const order = [...byColor.keys()].sort((a, b) => Number(kindColors.has(a)) - Number(kindColors.has(b)));
  for (const color of order) {
    const list = byColor.get(color)!;
    ctx.fillStyle = color;
    for (let i = 0; i < list.length; i += 4) ctx.fillRect(list[i], list[i + 1], list[i + 2], list[i + 3]);
  }
  return { entries, rects, rows: rows.length };
}

function axis(ctx: CanvasRenderingContext2D, t0: number, t1: number, left: number, width: number): void {
  const seconds = (t1 - t0) / 1000;
  const steps = [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
  const step = steps.find((s) => seconds / s <= 8) ?? 3600;
  ctx.fillStyle = '#555';
  ctx.strokeStyle = '#ddd';
  ctx.textBaseline = 'top';
  for (let s = 0; s <= seconds + 1e-9; s += step) {
    const x = left + (s * 1000 * width) / (t1 - t0);
    ctx.fillRect(x, 12, 1, 5);
    ctx.fillText(`${Number(s.toFixed(2))} s`, x + 2, 1);
  }
  ctx.textBaseline = 'middle';
}
