import type { Key } from '../graph/spec';

/** An error as it crosses a thread or the network: enough to rebuild it faithfully. */
export interface SerializedError {
  readonly className: string;
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly code?: string | number;
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return {
      className: e.constructor?.name ?? 'Error',
      name: e.name,
      message: e.message,
      stack: e.stack,
      code: typeof code === 'string' || typeof code === 'number' ? code : undefined,
    };
  }
  return { className: 'Error', name: 'Error', message: `A task threw a non-Error value: ${String(e)}` };
}

const BUILTIN_ERRORS: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/**
 * Rebuilds an error thrown on a worker: the same built-in class (so `instanceof TypeError`
 * holds), or an Error carrying the original class name; the original message and worker stack.
 */
export function deserializeError(s: SerializedError): Error {
  const Ctor = BUILTIN_ERRORS[s.className];
  const e: Error = Ctor ? new Ctor(s.message) : new Error(s.message);
  if (!Ctor || e.name !== s.name) e.name = s.name;
  if (s.stack) e.stack = s.stack;
  if (s.code !== undefined) (e as { code?: unknown }).code = s.code;
  return e;
}

/**
 * A task ran past its timeout (compute's `taskTimeoutMs`, a distributed task's `timeoutMs`): the
 * thread or process running it was stopped, since JavaScript cannot interrupt a running function.
 */
export class TaskTimeoutError extends Error {
  override name = 'TaskTimeoutError';
  constructor(
    readonly key: Key,
    readonly timeoutMs: number,
    /** What became of the task's thread or process. */
    detail = 'its worker thread was stopped',
  ) {
    super(`Task '${key}' ran longer than its timeout of ${timeoutMs} ms: ${detail}`);
  }
}

/** Attaches the failing task's key to an error (non-enumerable, so printing stays clean). */
export function withTaskKey<E>(error: E, key: Key): E {
  if (typeof error === 'object' && error !== null) {
    try {
      Object.defineProperty(error, 'taskKey', { value: key, configurable: true, enumerable: false, writable: true });
    } catch {
      // Frozen errors keep their identity; the key is then only in the computation's error.
    }
  }
  return error;
}

/** The key of the task that raised this error, if it came out of a computation. */
export function taskKeyOf(error: unknown): Key | undefined {
  return typeof error === 'object' && error !== null ? (error as { taskKey?: Key }).taskKey : undefined;
}
