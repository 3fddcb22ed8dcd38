/**
 * The live pages' loop: frames from `/api/events` (server-sent events) go through `applyFrame`, and
 * the page renders at most once per animation frame whatever the rate of frames, so a burst of
 * task entries costs one draw, not one per message.
 */
import type { Frame } from '../../src/dashboard/protocol.js';
import { applyFrame, initialState, type DashboardState } from './store.js';

const FRAME_TYPES = ['snapshot', 'tasks', 'progress', 'workers', 'memory', 'exceptions', 'graph'] as const;

/**
 * An event's data as a Frame: the whole frame object (with its `type`), or only its payload (a
 * Snapshot, or the delta's fields), both accepted.
 */
export function toFrame(type: string, data: unknown): Frame | null {
  if (typeof data !== 'object' || data === null) return null;
  const o = data as Record<string, unknown>;
  if (o.type === type) return o as unknown as Frame;
  if (type === 'snapshot') return { type: 'snapshot', data: o as unknown as Extract<Frame, { type: 'snapshot' }>['data'] };
  return { type, ...o } as unknown as Frame;
}

export interface LivePage {
  /** Called with the latest state, at most once per animation frame. */
  render(state: DashboardState, previous: DashboardState): void;
}

export interface DebugHandle {
  state: DashboardState;
  frames: number;
  renders: number;
}

declare global {
  interface Window {
    pdaskDashboard?: DebugHandle;
  }
}

export function runLive(page: LivePage, url = 'api/events'): void {
  let state = initialState();
  let drawn = state;
  let pending = false;
  const debug: DebugHandle = { state, frames: 0, renders: 0 };
  window.pdaskDashboard = debug;
  const conn = document.getElementById('conn');
  const setConn = (text: string, ok: boolean): void => {
    if (!conn) return;
    conn.textContent = text;
    conn.className = `conn ${ok ? 'ok' : 'lost'}`;
  };
  const schedule = (): void => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      const prev = drawn;
      drawn = state;
      debug.renders++;
      page.render(state, prev);
    });
  };
  const es = new EventSource(url);
  es.onopen = () => setConn('live', true);
  // EventSource reconnects by itself; the server starts each connection with a snapshot.
  es.onerror = () => setConn('reconnecting…', false);
  for (const type of FRAME_TYPES) {
    es.addEventListener(type, (ev) => {
      const frame = toFrame(type, JSON.parse((ev as MessageEvent<string>).data));
      if (!frame) return;
      state = applyFrame(state, frame);
      debug.state = state;
      debug.frames++;
      schedule();
    });
  }
  schedule();
}
