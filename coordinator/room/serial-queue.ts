/**
 * A room handles its events one at a time. Without this, concurrent async handlers interleave
 * and lose updates (a probe saw 500 concurrent increments end at 2).
 */
export interface SerialQueue {
  /** Runs `task` after every task queued before it has settled; resolves with its result. */
  run<T>(task: () => T | Promise<T>): Promise<T>;
}

export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    run<T>(task: () => T | Promise<T>): Promise<T> {
      const result = tail.then(task);
      tail = result.catch(() => undefined);
      return result;
    },
  };
}
