/**
 * Timer helpers that work in Node and in a browser: the transport's code runs in both (the
 * browser client), and browsers have neither `setImmediate` nor `Timeout.unref()`.
 */

type Job = () => void;

/**
 * A macrotask without setTimeout's clamping (nested timeouts wait at least 4 ms in browsers): one
 * MessageChannel message runs every job queued since the last one.
 */
function channelTurn(): (fn: Job) => void {
  const queue: Job[] = [];
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    for (const fn of queue.splice(0)) fn();
  };
  return (fn) => {
    queue.push(fn);
    if (queue.length === 1) channel.port2.postMessage(null);
  };
}

/** Runs `fn` after the current turn's code and its promise reactions (Node's setImmediate). */
export const nextTurn: (fn: Job) => void =
  typeof setImmediate === 'function'
    ? (fn) => void setImmediate(fn)
    : typeof MessageChannel === 'function'
      ? channelTurn()
      : (fn) => void setTimeout(fn, 0);

/** A timer that must not keep Node's process alive (browser timers are plain numbers: nothing to do). */
export function unref<T>(timer: T): T {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}
