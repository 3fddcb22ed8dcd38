/**
 * What a performance report file embeds (JSON in a `<script type="application/json">`), and how
 * the page turns it into a state: the recorded frames applied in order, keeping every task entry,
 * with what happened before the report began (the first snapshot's history) left out.
 */
import type { Frame } from '../../src/dashboard/protocol.js';
import { applyFrame, initialState, type DashboardState } from './store.js';

export interface ReportData {
  version: 1;
  title: string;
  /** When the wrapped callback started and ended (ms since the epoch). */
  start: number;
  stop: number;
  frames: Frame[];
}

export const REPORT_DATA_ID = 'pdask-report-data';

function since<T extends { stop: number }>(list: readonly T[], t: number): T[] {
  return list.filter((e) => e.stop >= t);
}

export function reportState(data: ReportData): DashboardState {
  let state = initialState();
  for (const f of data.frames) {
    let frame = f;
    if (f.type === 'snapshot') {
      frame = {
        type: 'snapshot',
        data: {
          ...f.data,
          taskStream: since(f.data.taskStream, data.start),
          memory: f.data.memory.filter((m) => m.time >= data.start),
          exceptions: f.data.exceptions.filter((e) => e.time >= data.start),
        },
      };
    } else if (f.type === 'tasks') frame = { ...f, append: since(f.append, data.start) };
    state = applyFrame(state, frame, { taskLimit: Infinity, memoryLimit: Infinity, exceptionLimit: Infinity });
  }
  return state;
}

/** Tasks of each prefix finished while the report recorded: `done` at the end minus at the start. */
export function doneDuring(data: ReportData): Map<string, number> {
  const first = data.frames.find((f) => f.type === 'snapshot');
  const before = new Map<string, number>();
  if (first?.type === 'snapshot') for (const p of first.data.prefixes) before.set(p.prefix, p.done);
  let last = first?.type === 'snapshot' ? first.data.prefixes : [];
  for (const f of data.frames) if (f.type === 'progress') last = f.prefixes;
  return new Map(last.map((p) => [p.prefix, p.done - (before.get(p.prefix) ?? 0)]));
}
