/**
 * The callback and DOM forms of the progress bar: progress({ onUpdate }) is told every finished task
 * and the end (also when the computation fails), on sync and threads; domProgress draws a
 * <progress> and a text line into an element (a small fake DOM here; Chromium runs it in
 * packages/dataframe/test/browser-dataframe.test.ts).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { closeThreadPools } from '../src/index';
import { compute } from '../src/collection/compute';
import { delayed } from '../src/delayed/delayed';
import { domProgress, progressText, type ProgressHostChild } from '../src/progress/dom';
import { progress, type ProgressUpdate } from '../src/progress/reporter';

afterAll(() => closeThreadPools());

const inc = (x: number) => x + 1;
/** A chain of `n` tasks: inc applied n times to 0. */
function chain(n: number) {
  let d = delayed(inc)(0);
  for (let i = 1; i < n; i++) d = delayed(inc)(d);
  return d;
}

class FakeElement implements ProgressHostChild {
  textContent: string | null = null;
  className = '';
  readonly attrs = new Map<string, string>();
  children: FakeElement[] = [];
  constructor(
    readonly tag: string,
    readonly ownerDocument: { createElement(tag: string): FakeElement } | null,
  ) {}
  setAttribute(name: string, value: string): void {
    this.attrs.set(name, value);
  }
  replaceChildren(...nodes: FakeElement[]): void {
    this.children = nodes;
  }
}
const doc = { createElement: (tag: string): FakeElement => new FakeElement(tag, doc) };

describe.each([
  ['sync', { scheduler: 'sync' }],
  ['threads', { scheduler: 'threads', numWorkers: 2 }],
] as const)('progress({ onUpdate }) (%s)', (_s, opts) => {
  it('is told of every task, in order, then once that the computation ended', async () => {
    const updates: ProgressUpdate[] = [];
    const [r] = await compute(chain(6), { ...opts, optimizeGraph: false, progress: progress({ onUpdate: (u) => updates.push(u) }) });
    expect(r).toBe(6);
    expect(updates[0]).toMatchObject({ done: 0, total: 6, fraction: 0, finished: false });
    const last = updates[updates.length - 1];
    expect(last).toMatchObject({ done: 6, total: 6, fraction: 1, finished: true });
    expect(updates.filter((u) => u.finished)).toHaveLength(1);
    for (let i = 1; i < updates.length; i++) {
      expect(updates[i].done).toBeGreaterThanOrEqual(updates[i - 1].done);
      expect(updates[i].elapsedMs).toBeGreaterThanOrEqual(updates[i - 1].elapsedMs);
    }
    // Each of the 6 tasks reported (sync reports each one; threads at least the last).
    if (_s === 'sync') expect(updates.map((u) => u.done)).toEqual([0, 1, 2, 3, 4, 5, 6, 6]);
  });

  it('ends with finished: true when a task fails, and is reusable', async () => {
    const updates: ProgressUpdate[] = [];
    const p = progress({ onUpdate: (u) => updates.push(u) });
    const boom = (x: number): number => {
      if (x > 1) throw new Error('boom');
      return x;
    };
    await expect(compute(delayed(boom)(chain(3)), { ...opts, optimizeGraph: false, progress: p })).rejects.toThrow('boom');
    expect(updates[updates.length - 1].finished).toBe(true);
    expect(updates[updates.length - 1].done).toBeLessThan(4);
    updates.length = 0;
    await compute(chain(2), { ...opts, optimizeGraph: false, progress: p });
    expect(updates[0].done).toBe(0);
    expect(updates[updates.length - 1]).toMatchObject({ done: 2, total: 2, finished: true });
  });
});

describe('domProgress', () => {
  it('draws a <progress> and a text line that end full', async () => {
    const el = new FakeElement('div', doc);
    const seen: number[] = [];
    await compute(chain(4), { scheduler: 'sync', optimizeGraph: false, progress: domProgress(el, { minIntervalMs: 0, onUpdate: (u) => seen.push(u.done) }) });
    const [bar, text] = el.children;
    expect(bar.tag).toBe('progress');
    expect(bar.className).toBe('pdask-progress-bar');
    expect(bar.attrs.get('max')).toBe('4');
    expect(bar.attrs.get('value')).toBe('4');
    expect(text.className).toBe('pdask-progress-text');
    expect(text.textContent).toMatch(/^4 \/ 4 tasks \(100%\) \| \d+\.\ds \| done$/);
    expect(seen).toEqual([0, 1, 2, 3, 4, 4]);
  });

  it('text for an empty graph and mid-way', () => {
    expect(progressText({ done: 0, total: 0, fraction: 1, elapsedMs: 0, finished: true })).toBe('0 / 0 tasks (100%) | 0.0s | done');
    expect(progressText({ done: 1, total: 3, fraction: 1 / 3, elapsedMs: 1234, finished: false })).toBe('1 / 3 tasks (33%) | 1.2s');
  });

  it('bad arguments fail by name', async () => {
    expect(() => domProgress({} as never)).toThrow(/domProgress: pass a DOM element/);
    expect(() => domProgress(new FakeElement('div', doc), { every: 1 } as never)).toThrow(/unknown option 'every'/);
    expect(() => progress({} as never)).toThrow(/progress: pass \{ onUpdate/);
    expect(() => progress({ onUpdate: () => {}, minIntervalMs: -1 })).toThrow(/minIntervalMs must be/);
    await expect(compute(chain(1), { scheduler: 'sync', progress: { onUpdate: () => {} } as never })).rejects.toThrow(/option 'progress'.*a boolean, or a reporter from progress/);
  });
});
