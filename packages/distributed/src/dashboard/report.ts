/**
 * `performanceReport` (Dask's `performance_report`): records the dashboard's frames while a
 * callback runs and writes them, with the report page, into one HTML file that works offline.
 */
import { writeFile } from 'node:fs/promises';
import { checkOptions, optional } from '@pdask/core';
import type { Frame } from './protocol';
import { reportHtml } from './report-html';
import { defaultFrameSource, type FrameSource } from './frame-source';

export interface PerformanceReportOptions {
  /** Where the HTML file is written (default `dask-report.html`, as Dask). */
  filename?: string;
  /** The frames to record; default: the source registered by the running dashboard. */
  source?: FrameSource;
  /** The page title (default `pdask performance report`). */
  title?: string;
}

const SCHEMA = {
  filename: optional('string'),
  source: optional('object'),
  title: optional('string'),
} as const;

/**
 * Runs `fn`, recording every dashboard frame from its start to its end, and writes the report,
 * also when `fn` throws (its error is then rethrown). Returns what `fn` returned.
 */
export async function performanceReport<T>(options: PerformanceReportOptions, fn: () => Promise<T> | T): Promise<T> {
  const opts = checkOptions('performanceReport', options, SCHEMA);
  if (typeof fn !== 'function') throw new TypeError('performanceReport: the second argument must be the function to run');
  const filename = opts.filename ?? 'dask-report.html';
  if (filename === '') throw new TypeError("performanceReport: option 'filename' must not be empty");
  const source = opts.source ?? defaultFrameSource();
  if (!source || typeof source.subscribe !== 'function') {
    throw new Error('performanceReport: no dashboard to record: pass { source } or run it while a dashboard is running (a Client or LocalCluster with a dashboard)');
  }
  const frames: Frame[] = [];
  const start = Date.now();
  const unsubscribe = source.subscribe((frame) => {
    // Copied now: a source may reuse or change its objects later.
    frames.push(structuredClone(frame));
  });
  let result: T;
  try {
    result = await fn();
  } finally {
    // The source batches deltas: what happened in the last interval is sent before the recording ends.
    source.flush?.();
    unsubscribe();
    const stop = Date.now();
    if (!frames.some((f) => f.type === 'snapshot')) {
      // Keep the report readable; the callback's error (if any) still propagates.
      frames.unshift(emptySnapshot(start));
    }
    await writeFile(filename, reportHtml({ version: 1, title: opts.title ?? 'pdask performance report', start, stop, frames }));
  }
  return result;
}

function emptySnapshot(now: number): Frame {
  return {
    type: 'snapshot',
    data: {
      version: 1,
      cluster: { kind: 'threads', scheduler: '', dashboard: '', startedAt: now, now, taskStreamLimit: 100_000, graphNodeLimit: 5_000 },
      workers: [],
      prefixes: [],
      taskStream: [],
      exceptions: [],
      memory: [],
      graph: { mode: 'tasks', nodes: [], edges: [] },
    },
  };
}
