/**
 * Worker-thread entry of the sieve pool: warms up every algorithm, reports `ready`, then runs one
 * task per `run` message for as long as the pool keeps it. Progress goes into a shared
 * Float64Array slot that the backend reads at its own pace, so no message per segment.
 */
import { parentPort } from "node:worker_threads";
import { runSieveTask, type SieveTask, type SieveTaskResult, warmUpTasks } from "./run-sieve-task.ts";

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

/** Runs one request to its end: the answer to post. The warm-up goes through here too. */
function handle(request: SieveWorkerRequest): SieveWorkerMessage {
  const progress = new Float64Array(request.progress);
  let firstSegmentAt: number | null = null;
  try {
    const result = runSieveTask(request.task, (fraction) => {
      firstSegmentAt ??= performance.timeOrigin + performance.now();
      progress[request.slot] = fraction;
    });
    return { type: "done", result: { ...result, firstSegmentAt, doneAt: performance.timeOrigin + performance.now() } };
  } catch (error) {
    return { type: "failed", message: error instanceof Error ? error.message : String(error) };
  }
}

const port = parentPort;
if (port) {
  port.on("message", (request: SieveWorkerRequest) => port.postMessage(handle(request)));
  for (const task of warmUpTasks()) handle({ type: "run", task, progress: new SharedArrayBuffer(8), slot: 0 });
  port.postMessage({ type: "ready" } satisfies SieveWorkerMessage);
}
