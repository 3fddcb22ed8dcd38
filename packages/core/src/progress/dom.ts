/**
 * The progress bar in a page: a `<progress>` element and a line of text ("12 / 40 tasks, 0.3s")
 * written into an element the page gives, updated as tasks finish. Uses only the DOM of the
 * element's own document, so it also renders into a detached element or a test's fake.
 */
import { progress, type ProgressReporter, type ProgressUpdate } from './reporter';

/** The part of the DOM the renderer uses. */
export interface ProgressHost {
  readonly ownerDocument: { createElement(tag: string): ProgressHostChild } | null;
  replaceChildren(...nodes: ProgressHostChild[]): void;
}

/** An element the renderer creates. */
export interface ProgressHostChild {
  textContent: string | null;
  className: string;
  setAttribute(name: string, value: string): void;
}

export interface DomProgressOptions {
  /** Fewest milliseconds between two redraws while running (default 50). */
  minIntervalMs?: number;
  /** Also called on every update, after the element is redrawn. */
  onUpdate?: (update: ProgressUpdate) => void;
}

/** The text line under the bar. */
export function progressText(u: ProgressUpdate): string {
  const pct = Math.floor(u.fraction * 100);
  return `${u.done} / ${u.total} tasks (${pct}%) | ${(u.elapsedMs / 1000).toFixed(1)}s${u.finished ? ' | done' : ''}`;
}

/**
 * A progress reporter drawing into `element` (its children are replaced): a `<progress>` with
 * class `pdask-progress-bar`, `value` tasks done of `max`, and a `<span class="pdask-progress-text">`.
 */
export function domProgress(element: ProgressHost, opts: DomProgressOptions = {}): ProgressReporter {
  const doc = element?.ownerDocument;
  if (!doc || typeof element.replaceChildren !== 'function') throw new TypeError('domProgress: pass a DOM element of a document (e.g. document.getElementById(...))');
  for (const k of Object.keys(opts)) if (k !== 'minIntervalMs' && k !== 'onUpdate') throw new TypeError(`domProgress: unknown option '${k}' (options: minIntervalMs, onUpdate)`);
  let bar: ProgressHostChild | undefined;
  let text: ProgressHostChild | undefined;
  return progress({
    minIntervalMs: opts.minIntervalMs ?? 50,
    onUpdate: (u) => {
      if (!bar || !text) {
        bar = doc.createElement('progress');
        bar.className = 'pdask-progress-bar';
        text = doc.createElement('span');
        text.className = 'pdask-progress-text';
        element.replaceChildren(bar, text);
      }
      bar.setAttribute('max', String(Math.max(u.total, 1)));
      bar.setAttribute('value', String(u.total === 0 ? 1 : u.done));
      text.textContent = progressText(u);
      // The next computation draws afresh (the page may have cleared the element meanwhile).
      if (u.finished) bar = text = undefined;
      opts.onUpdate?.(u);
    },
  });
}
