/**
 * Worker-thread entry of the sieve pool: warms up every algorithm, reports `ready`, then runs one
 * task per `run` message for as long as the pool keeps it. Progress goes into a shared
 * Float64Array slot that the backend reads at its own pace, so no message per segment.
 */
import { parentPort } from "node:worker_threads";
import { runSieveTask, type SieveTask, type SieveTaskResult, warmUpSieve } from "./run-sieve-task.ts";

/** A message from the pool to a worker: run `task` now. */
export interface SieveWorkerRequest {
  type: "run";
  task: SieveTask;
  /** Float64Array buffer: slot `slot` holds this worker's fraction done, 0..1 */
  progress: SharedArrayBuffer;
  slot: number;
}

/** Messages from a sieve worker to the pool. */
export type SieveWorkerMessage =
  | { type: "ready" }
  | { type: "done"; result: SieveTaskResult }
  | { type: "failed"; message: string };

const port = parentPort;
if (port) {
  const post = (message: SieveWorkerMessage) => port.postMessage(message);
  port.on("message", (request: SieveWorkerRequest) => {
    const progress = new Float64Array(request.progress);
    let firstSegmentAt: number | null = null;
    try {
      const result = runSieveTask(request.task, (fraction) => {
        firstSegmentAt ??= performance.timeOrigin + performance.now();
        progress[request.slot] = fraction;
      });
      post({ type: "done", result: { ...result, firstSegmentAt, doneAt: performance.timeOrigin + performance.now() } });
    } catch (error) {
      post({ type: "failed", message: error instanceof Error ? error.message : String(error) });
    }
  });
  warmUpSieve();
  post({ type: "ready" });
}
