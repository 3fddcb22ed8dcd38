/**
 * The progress bar in a page: a `<progress>` element and a line of text ("12 / 40 tasks, 0.3s")
 * written into an element the page gives, updated as tasks finish. Uses only the DOM of the
 * element's own document, so it also renders into a detached element or a test's fake.
 */
import { checkOptions, optional, type OptionSchema } from '../options/options';
import { progress, type ProgressReporter, type ProgressUpdate } from './reporter';

/** The part of the DOM the renderer uses. */
export interface ProgressHost {
  readonly ownerDocument: { createElement(tag: string): ProgressHostChild } | null;
  /**
   * Given the elements its `ownerDocument` made. Typed to accept any element's method (a page's
   * `HTMLElement.replaceChildren` takes `Node | string`, which no structural child type here is).
   */
  replaceChildren(...nodes: never[]): void;
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
const DOM_PROGRESS_OPTIONS: OptionSchema<DomProgressOptions> = { minIntervalMs: optional('number'), onUpdate: optional('function') };

export function domProgress(element: ProgressHost, opts: DomProgressOptions = {}): ProgressReporter {
  const doc = element?.ownerDocument;
  if (!doc || typeof element.replaceChildren !== 'function') throw new TypeError('domProgress: pass a DOM element of a document (e.g. document.getElementById(...))');
  checkOptions('domProgress', opts, DOM_PROGRESS_OPTIONS);
  let bar: ProgressHostChild | undefined;
  let text: ProgressHostChild | undefined;
  // The host takes what its own document made (see ProgressHost.replaceChildren).
  const replace = element.replaceChildren as (...nodes: ProgressHostChild[]) => void;
  return progress({
    minIntervalMs: opts.minIntervalMs ?? 50,
    onUpdate: (u) => {
      if (!bar || !text) {
        bar = doc.createElement('progress');
        bar.className = 'pdask-progress-bar';
        text = doc.createElement('span');
        text.className = 'pdask-progress-text';
        replace.call(element, bar, text);
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
