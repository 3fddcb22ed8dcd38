/**
 * The status page's bars (DOM: a few dozen prefixes and workers, re-rendered at most once per
 * animation frame): progress per prefix, memory per worker with the target/spill/pause lines, and
 * processing/occupancy per worker. Numbers are also written as data attributes so tests and
 * scripts read them without parsing formatted text.
 */
import type { PrefixProgress, WorkerRow } from '../../src/dashboard/protocol.js';
import { h } from './dom.js';
import { fmtBytes, fmtInt } from './format.js';

export const STATE_COLORS = { memory: '#1f77b4', processing: '#2ca02c', waiting: '#c7c7c7', erred: '#d62728', released: '#aec7e8' } as const;
export const MEMORY_COLORS = { managed: '#1f77b4', unmanaged: '#9ecae1', spilled: '#8c8c8c' } as const;

function pct(x: number, total: number): string {
  return `${total > 0 ? Math.max(0, Math.min(100, (100 * x) / total)) : 0}%`;
}

function seg(cls: string, color: string, x: number, total: number, title: string, opacity = 1): HTMLElement {
  return h('span', { class: `seg ${cls}`, style: `width:${pct(x, total)};background:${color}${opacity < 1 ? `;opacity:${opacity}` : ''}`, title });
}

/** One row per prefix: finished and released, in memory, processing, erred, waiting. */
export function renderProgress(el: HTMLElement, prefixes: readonly PrefixProgress[]): void {
  const rows = prefixes.map((p) => {
    const total = Math.max(p.total, p.done + p.processing + p.waiting + p.erred);
    // Done covers released and in-memory results; in memory is drawn darker inside it.
    const doneOnly = Math.max(0, p.done - p.memory);
    return h(
      'tr',
      { 'data-prefix': p.prefix, 'data-done': p.done, 'data-total': p.total, 'data-erred': p.erred },
      h('td', { class: 'name' }, h('span', { class: 'swatch', style: `background:${p.color}` }), p.prefix),
      h(
        'td',
        { class: 'barcell' },
        h(
          'div',
          { class: 'bar' },
          // Finished in the prefix's colour: released results lighter, those held in memory solid.
          seg('done', p.color, doneOnly, total, `${fmtInt(doneOnly)} released`, 0.55),
          seg('memory', p.color, p.memory, total, `${fmtInt(p.memory)} in memory`),
          seg('processing', STATE_COLORS.processing, p.processing, total, `${fmtInt(p.processing)} processing`),
          seg('erred', STATE_COLORS.erred, p.erred, total, `${fmtInt(p.erred)} erred`),
          seg('waiting', STATE_COLORS.waiting, p.waiting, total, `${fmtInt(p.waiting)} waiting`),
        ),
      ),
      h('td', { class: 'num done-count' }, `${fmtInt(p.done)} / ${fmtInt(p.total)}`),
      h('td', { class: 'num small' }, `${fmtInt(p.processing)} proc · ${fmtInt(p.memory)} mem${p.erred ? ` · ${fmtInt(p.erred)} err` : ''}`),
    );
  });
  el.replaceChildren(
    rows.length
      ? h('table', { class: 'progress' }, h('tbody', {}, ...rows))
      : h('p', { class: 'empty' }, 'No tasks yet.'),
  );
}

export function workerLabel(w: WorkerRow): string {
  return w.name ?? w.address.replace(/^[a-z]+:\/\//, '');
}

/** Managed / unmanaged / spilled per worker on a common scale, with the memory lines of its limit. */
export function renderWorkerMemory(el: HTMLElement, workers: readonly WorkerRow[]): void {
  const scale = Math.max(1, ...workers.map((w) => w.memory.limit ?? w.memory.managed + w.memory.unmanaged + w.memory.spilled));
  const rows = workers.map((w) => {
    const m = w.memory;
    const lines: HTMLElement[] = [];
    if (m.limit !== null) {
      for (const [name, f] of [['target', m.target], ['spill', m.spill], ['pause', m.pause]] as const) {
        if (f !== null) lines.push(h('span', { class: `line ${name}`, style: `left:${pct(f * m.limit, scale)}`, title: `${name} ${Math.round(f * 100)}%` }));
      }
    }
    return h(
      'tr',
      { 'data-worker': w.id, 'data-managed': m.managed, 'data-spilled': m.spilled },
      h('td', { class: 'name' }, workerLabel(w)),
      h(
        'td',
        { class: 'barcell' },
        h(
          'div',
          { class: 'bar' },
          seg('managed', MEMORY_COLORS.managed, m.managed, scale, `managed ${fmtBytes(m.managed)}`),
          seg('unmanaged', MEMORY_COLORS.unmanaged, m.unmanaged, scale, `unmanaged ${fmtBytes(m.unmanaged)}`),
          seg('spilled', MEMORY_COLORS.spilled, m.spilled, scale, `spilled ${fmtBytes(m.spilled)}`),
          ...lines,
        ),
      ),
      h('td', { class: 'num small' }, `${fmtBytes(m.managed + m.unmanaged)}${m.limit !== null ? ` of ${fmtBytes(m.limit)}` : ''}${m.spilled ? ` · ${fmtBytes(m.spilled)} spilled` : ''}`),
    );
  });
  el.replaceChildren(rows.length ? h('table', { class: 'bars' }, h('tbody', {}, ...rows)) : h('p', { class: 'empty' }, 'No workers.'));
}

/** Tasks executing and queued per worker, and its occupancy (expected seconds of work). */
export function renderProcessing(el: HTMLElement, workers: readonly WorkerRow[]): void {
  const most = Math.max(1, ...workers.map((w) => w.executing + w.queued));
  const rows = workers.map((w) =>
    h(
      'tr',
      { 'data-worker': w.id, 'data-executing': w.executing, 'data-queued': w.queued },
      h('td', { class: 'name' }, workerLabel(w)),
      h(
        'td',
        { class: 'barcell' },
        h(
          'div',
          { class: 'bar' },
          seg('executing', STATE_COLORS.processing, w.executing, most, `${w.executing} executing`),
          seg('queued', STATE_COLORS.waiting, w.queued, most, `${w.queued} queued`),
        ),
      ),
      h('td', { class: 'num small' }, `${w.executing} run · ${w.queued} queued · ${w.occupancy.toFixed(2)} s`),
    ),
  );
  el.replaceChildren(rows.length ? h('table', { class: 'bars' }, h('tbody', {}, ...rows)) : h('p', { class: 'empty' }, 'No workers.'));
}
