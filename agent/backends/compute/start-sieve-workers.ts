/**
 * Spawns one worker thread per task and gathers what they report: ready, progress (read from
 * shared memory) and results. The sieve kernels are TypeScript, so each worker loads tsx.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { SieveTask, SieveTaskResult } from "./run-sieve-task.ts";
import type { SieveWorkerData, SieveWorkerMessage } from "./sieve-worker.ts";

export interface SieveWorkers {
  /** resolves once every worker is loaded and waiting for `start` */
  ready: Promise<void>;
  /** every worker's result in task order; rejects with the first failure */
  finished: Promise<SieveTaskResult[]>;
  /** lets every worker begin its task */
  start(): void;
  /** each worker's fraction done, 0..1 */
  progress(): readonly number[];
  /** stops every worker at once, wherever it is */
  terminate(): void;
}

/**
 * Node 20 ignores `--import tsx` in a worker's execArgv for the worker's own entry file, so a
 * two-line ES module registers tsx's loader first and then imports sieve-worker.ts.
 */
function workerBootstrapUrl(): URL {
  const tsxApi =
    typeof import.meta.resolve === "function"
      ? import.meta.resolve("tsx/esm/api")
      : pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api")).href.replace(/\.cjs$/, ".mjs");
  const entry = new URL("./sieve-worker.ts", import.meta.url).href;
  const code = `import { register } from ${JSON.stringify(tsxApi)};\nregister();\nawait import(${JSON.stringify(entry)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

export function startSieveWorkers(tasks: readonly SieveTask[]): SieveWorkers {
  const shared = new SharedArrayBuffer(8 * tasks.length);
  const progress = new Float64Array(shared);
  let stopped = false;
  const workers: Worker[] = [];
  const bootstrap = workerBootstrapUrl();
  const readies: Promise<void>[] = [];
  const results: Promise<SieveTaskResult>[] = [];
  tasks.forEach((task, slot) => {
    const workerData: SieveWorkerData = { task, progress: shared, slot };
    const worker = new Worker(bootstrap, { workerData });
    workers.push(worker);
    const failure = new Promise<never>((_, reject) => {
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`sieve worker ${slot} exited early (code ${code})`)));
    });
    const message = (type: SieveWorkerMessage["type"]) =>
      new Promise<SieveWorkerMessage>((resolve) => {
        const listener = (m: SieveWorkerMessage) => {
          if (m.type !== type && m.type !== "failed") return;
          worker.off("message", listener);
          resolve(m);
        };
        worker.on("message", listener);
      });
    const ready = message("ready");
    const done = message("done");
    readies.push(Promise.race([ready.then(() => undefined), failure]));
    results.push(
      Promise.race([
        done.then((m) => {
          if (m.type === "done") return m.result;
          throw new Error(m.type === "failed" ? m.message : "sieve worker sent no result");
        }),
        failure,
      ]),
    );
  });
  const terminate = () => {
    if (stopped) return;
    stopped = true;
    for (const worker of workers) void worker.terminate();
  };
  // the caller terminates the workers after it has taken the result, so stopping them is never timed
  const finished = Promise.all(results);
  const ready = Promise.all(readies).then(() => undefined);
  // callers may stop listening after a cancel: these rejections are expected then
  finished.catch(() => {});
  ready.catch(() => {});
  return {
    ready,
    finished,
    start: () => {
      for (const worker of workers) worker.postMessage("start");
    },
    progress: () => Array.from(progress),
    terminate,
  };
}
