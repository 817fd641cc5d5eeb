/**
 * Worker-thread entry: reports `ready` once loaded and warmed up, waits for `start` so that start-up stays out
 * of the measured time, runs its task, and posts the result. Progress goes into a shared
 * Float64Array slot that the backend reads at its own pace, so no message per segment.
 */
import { parentPort, workerData } from "node:worker_threads";
import { runSieveTask, type SieveTask, type SieveTaskResult, warmUpSieve } from "./run-sieve-task.ts";

export interface SieveWorkerData {
  task: SieveTask;
  /** Float64Array buffer: slot `slot` holds this worker's fraction done, 0..1 */
  progress: SharedArrayBuffer;
  slot: number;
}

/** Messages from a sieve worker to the backend. */
export type SieveWorkerMessage =
  | { type: "ready" }
  | { type: "done"; result: SieveTaskResult }
  | { type: "failed"; message: string };

const port = parentPort;
if (port) {
  const data = workerData as SieveWorkerData;
  const progress = new Float64Array(data.progress);
  const post = (message: SieveWorkerMessage) => port.postMessage(message);
  port.once("message", () => {
    try {
      const result = runSieveTask(data.task, (fraction) => {
        progress[data.slot] = fraction;
      });
      post({ type: "done", result });
    } catch (error) {
      post({ type: "failed", message: error instanceof Error ? error.message : String(error) });
    }
  });
  warmUpSieve(data.task.algorithm);
  post({ type: "ready" });
}
