/**
 * Where dashboard frames come from, for whoever records them rather than serving them (the
 * performance report): the dashboard's model implements it, and the place that starts a dashboard
 * (a Client, LocalCluster or thread pool with the dashboard on) registers it as the default.
 */
import type { Frame } from './protocol';

export type FrameListener = (frame: Frame) => void;

export interface FrameSource {
  /**
   * Calls `listener` with every frame from now on, the first being a `snapshot` of the state at
   * subscription, then the deltas, exactly as `/api/events` sends them. Returns the unsubscribe.
   */
  subscribe(listener: FrameListener): () => void;
  /** Sends the deltas still pending (the source batches them) to the listeners now. Optional. */
  flush?(): void;
}

let defaultSource: FrameSource | null = null;

/** Registers the source `performanceReport` records when given none (null unregisters). */
export function setDefaultFrameSource(source: FrameSource | null): void {
  defaultSource = source;
}

export function defaultFrameSource(): FrameSource | null {
  return defaultSource;
}
