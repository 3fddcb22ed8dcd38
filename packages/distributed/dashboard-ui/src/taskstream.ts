/**
 * The task stream on a 2D canvas: one row per worker thread, a rectangle per task coloured by its
 * prefix; transfers (red, upper half of the row), spills (grey, lower half) and errors (black)
 * stand apart from computing.
 *
 * Cost: the time axis runs a little past the last task (a window with room to grow), so while
 * tasks keep arriving only the new entries are drawn on top of the picture; the whole picture is
 * drawn again only when the window must change (a task past its end, many old ones dropped), the
 * rows or the size change, or a prefix gets its colour. A full draw walks the entries once and
 * merges neighbouring rectangles of one row and colour that touch within a pixel (with 100,000
 * entries most are narrower than one), so it fills at most a few rectangles per pixel column.
 */
import type { TaskStreamEntry } from '../../src/dashboard/protocol.js';
import { fallbackColor } from './format.js';
import type { DashboardState, StreamRow, TaskChunks } from './store.js';

export const KIND_COLORS = { transfer: '#d62728', spill: '#7f7f7f', error: '#111111' } as const;

export interface StreamDrawStats {
  full: number;
  incremental: number;
  rects: number;
}

const LABEL_WIDTH = 120;
const AXIS_HEIGHT = 18;

interface View {
  t0: number;
  t1: number;
  width: number;
  height: number;
  rowH: number;
  rows: readonly StreamRow[];
  index: Map<string, number[]>;
  colors: Map<string, string>;
  workers: unknown;
  drawn: WeakSet<readonly TaskStreamEntry[]>;
  lastChunk: readonly TaskStreamEntry[] | null;
  entries: number;
}

export class TaskStreamView {
  private view: View | null = null;
  private version = -1;
  stats: StreamDrawStats = { full: 0, incremental: 0, rects: 0 };

  constructor(
    private readonly canvas: HTMLCanvasElement,
    /** `headroom`: how far past the last task the axis runs, as a fraction (0 for a finished recording). */
    private readonly options: { rowHeight?: number; minHeight?: number; headroom?: number } = {},
  ) {}

  update(state: DashboardState): void {
    const cssWidth = Math.max(200, this.canvas.clientWidth || this.canvas.parentElement?.clientWidth || 800);
    const cssHeight = Math.max(this.options.minHeight ?? 120, AXIS_HEIGHT + state.rows.length * (this.options.rowHeight ?? 16) + 4);
    const v = this.view;
    const sized = v !== null && v.width === cssWidth && v.height === cssHeight;
    if (sized && state.taskVersion === this.version && state.workers === v.workers) return;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const ratio = window.devicePixelRatio || 1;
    if (!sized) {
      this.canvas.width = Math.round(cssWidth * ratio);
      this.canvas.height = Math.round(cssHeight * ratio);
      this.canvas.style.height = `${cssHeight}px`;
    }
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    this.version = state.taskVersion;
    if (sized && v && this.canAppend(v, state)) {
      if (state.workers !== v.workers) {
        v.workers = state.workers;
        labels(ctx, v, state);
      }
      this.stats.incremental++;
      const fresh = state.tasks.chunks.filter((c) => !v.drawn.has(c));
      this.stats.rects = paint(ctx, v, fresh);
    } else {
      const span = state.span;
      const t0 = span?.start ?? 0;
      const t1 = span ? t0 + windowLength(span.stop - span.start, this.options.headroom ?? 0.2) : 1;
      const rowH = state.rows.length ? Math.max(4, Math.min(16, Math.floor((cssHeight - AXIS_HEIGHT - 4) / state.rows.length))) : 16;
      const index = new Map<string, number[]>();
      state.rows.forEach((r, i) => {
        let threads = index.get(r.worker);
        if (!threads) index.set(r.worker, (threads = []));
        threads[r.thread] = i;
      });
      const nv: View = {
        t0,
        t1,
        width: cssWidth,
        height: cssHeight,
        rowH,
        rows: state.rows,
        index,
        colors: new Map(state.prefixes.map((p) => [p.prefix, p.color])),
        workers: state.workers,
        drawn: new WeakSet(),
        lastChunk: null,
        entries: 0,
      };
      this.view = nv;
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, cssWidth, cssHeight);
      labels(ctx, nv, state);
      if (span) axis(ctx, t0, t1, LABEL_WIDTH, cssWidth - LABEL_WIDTH - 8);
      this.stats.full++;
      this.stats.rects = paint(ctx, nv, state.tasks.chunks);
    }
    const view = this.view!;
    view.lastChunk = state.tasks.chunks.at(-1) ?? null;
    this.canvas.dataset.entries = String(Math.min(view.entries, state.tasks.length));
    this.canvas.dataset.rects = String(this.stats.rects);
    this.canvas.dataset.fullDraws = String(this.stats.full);
  }

  /** The entry drawn under (x, y), CSS pixels of the canvas, newest first; null when none. */
  hit(state: DashboardState, x: number, y: number): TaskStreamEntry | null {
    const v = this.view;
    if (!v || x < LABEL_WIDTH || y < AXIS_HEIGHT) return null;
    const row = v.rows[Math.floor((y - AXIS_HEIGHT) / v.rowH)];
    if (!row) return null;
    const msPerPx = (v.t1 - v.t0) / (v.width - LABEL_WIDTH - 8);
    const t = v.t0 + (x - LABEL_WIDTH) * msPerPx;
    const chunks = state.tasks.chunks;
    for (let c = chunks.length - 1; c >= 0; c--) {
      const chunk = chunks[c];
      for (let i = chunk.length - 1; i >= 0; i--) {
        const e = chunk[i];
        if (e.worker === row.worker && e.thread === row.thread && e.start - msPerPx <= t && t <= e.stop + msPerPx) return e;
      }
    }
    return null;
  }

  /** Whether the new entries can be drawn over the picture as it is. */
  private canAppend(v: View, state: DashboardState): boolean {
    const span = state.span;
    if (!span || state.rows !== v.rows) return false;
    if (span.stop > v.t1 || span.start < v.t0 || span.start - v.t0 > 0.25 * (v.t1 - v.t0)) return false;
    // The chunk drawn last is still there: the same stream, grown (not a new snapshot).
    if (v.lastChunk && !state.tasks.chunks.includes(v.lastChunk)) return false;
    for (const p of state.prefixes) {
      const used = v.colors.get(p.prefix);
      if (used !== undefined && used !== p.color) return false;
      if (used === undefined) v.colors.set(p.prefix, p.color);
    }
    return true;
  }
}

/** The axis length: the span plus headroom, rounded up to 1, 2 or 5 x 10^k ms so it changes seldom. */
function windowLength(span: number, headroom: number): number {
  const want = Math.max(1, span * (1 + headroom));
  if (headroom === 0) return want;
  const p = 10 ** Math.floor(Math.log10(want));
  return ([1, 2, 5, 10].find((m) => m * p >= want) ?? 10) * p;
}

function labels(ctx: CanvasRenderingContext2D, v: View, state: DashboardState): void {
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, AXIS_HEIGHT, LABEL_WIDTH, v.height - AXIS_HEIGHT);
  ctx.font = '11px sans-serif';
  ctx.textBaseline = 'middle';
  const alive = new Map(state.workers.map((w) => [w.id, w]));
  v.rows.forEach((r, i) => {
    const y = AXIS_HEIGHT + i * v.rowH;
    const w = alive.get(r.worker);
    // A worker that left keeps its rows, greyed, under its address.
    ctx.fillStyle = w ? '#333' : '#aaa';
    const name = w?.name ?? r.worker.replace(/^[a-z]+:\/\//, '');
    ctx.fillText(`${name.slice(-16)} #${r.thread}`, 4, y + v.rowH / 2, LABEL_WIDTH - 8);
  });
}

function colorOf(e: TaskStreamEntry, colors: Map<string, string>): string {
  if (e.kind !== 'compute') return KIND_COLORS[e.kind];
  let c = colors.get(e.prefix);
  if (c === undefined) {
    c = fallbackColor(e.prefix);
    colors.set(e.prefix, c);
  }
  return c;
}

/** Draws the entries of `chunks` (merged, grouped by colour); returns the rectangles filled. */
function paint(ctx: CanvasRenderingContext2D, v: View, chunks: readonly (readonly TaskStreamEntry[])[]): number {
  const n = v.rows.length;
  if (n === 0 || chunks.length === 0) return 0;
  const plotW = v.width - LABEL_WIDTH - 8;
  const scale = plotW / (v.t1 - v.t0);
  const rowH = v.rowH;
  // Computations in time order (where sub-pixel tasks of several prefixes share a pixel, the
  // later one shows, as on a timeline), then transfers, spills and errors on top.
  const computes: (string | number)[] = [];
  const marks: (string | number)[] = [];
  const lastColor: (string | null)[] = new Array(n).fill(null);
  const lastKind: string[] = new Array(n).fill('');
  const lastX0 = new Float64Array(n);
  const lastX1 = new Float64Array(n);
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
    const list = kind === 'compute' ? computes : marks;
    // Whole pixels: no blending at the edges, so a colour on screen is the colour of its prefix.
    const x = Math.floor(LABEL_WIDTH + lastX0[row]);
    list.push(color, x, top, Math.max(1, Math.ceil(LABEL_WIDTH + lastX1[row]) - x), h);
    rects++;
    lastColor[row] = null;
  };
  for (const chunk of chunks) {
    v.drawn.add(chunk);
    for (const e of chunk) {
      const row = v.index.get(e.worker)?.[e.thread];
      if (row === undefined) continue;
      v.entries++;
      const x0 = (e.start - v.t0) * scale;
      const x1 = (e.stop - v.t0) * scale;
      const color = colorOf(e, v.colors);
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
  for (let r = 0; r < n; r++) flush(r);
  for (const list of [computes, marks]) {
    let current = '';
    for (let i = 0; i < list.length; i += 5) {
      const color = list[i] as string;
      if (color !== current) ctx.fillStyle = current = color;
      ctx.fillRect(list[i + 1] as number, list[i + 2] as number, list[i + 3] as number, list[i + 4] as number);
    }
  }
  return rects;
}

function axis(ctx: CanvasRenderingContext2D, t0: number, t1: number, left: number, width: number): void {
  const seconds = (t1 - t0) / 1000;
  const steps = [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
  const step = steps.find((s) => seconds / s <= 8) ?? 3600;
  ctx.fillStyle = '#555';
  ctx.font = '11px sans-serif';
  ctx.textBaseline = 'top';
  for (let s = 0; s <= seconds + 1e-9; s += step) {
    const x = left + (s * 1000 * width) / (t1 - t0);
    ctx.fillRect(x, 12, 1, 5);
    // No label cut by the right edge.
    if (x + 36 <= left + width + 8) ctx.fillText(`${Number(s.toFixed(2))} s`, x + 2, 1);
  }
  ctx.textBaseline = 'middle';
}
