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

/** The part of a worker thread the backend uses; tests pass a stand-in. */
export interface SieveWorkerThread {
  on(event: "message", listener: (message: SieveWorkerMessage) => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  on(event: "exit", listener: (code: number) => void): unknown;
  postMessage(message: "start"): void;
  terminate(): unknown;
}

export type SpawnSieveWorker = (workerData: SieveWorkerData) => SieveWorkerThread;

const spawnSieveWorker: SpawnSieveWorker = (workerData) => new Worker(workerBootstrapUrl(), { workerData });

interface Settle<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

function settle<T>(): Settle<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Settles `ready` and `result` straight from the worker's events, with no promise hop between a
 * message and the exit that follows it: when a worker ends, Node emits every message left in its
 * port and then `exit` in one synchronous run, so a result posted just before a normal exit has
 * settled `result` by the time `exit` is handled, and the exit's rejection is a no-op.
 */
function watchSieveWorker(worker: SieveWorkerThread, slot: number) {
  const ready = settle<void>();
  const result = settle<SieveTaskResult>();
  const fail = (error: Error) => {
    ready.reject(error);
    result.reject(error);
  };
  worker.on("message", (message) => {
    if (message.type === "ready") ready.resolve();
    else if (message.type === "done") result.resolve(message.result);
    else fail(new Error(message.message));
  });
  worker.on("error", fail);
  worker.on("exit", (code) => fail(new Error(`sieve worker ${slot} exited early (code ${code})`)));
  return { ready: ready.promise, result: result.promise };
}

export function startSieveWorkers(
  tasks: readonly SieveTask[],
  spawn: SpawnSieveWorker = spawnSieveWorker,
): SieveWorkers {
  const shared = new SharedArrayBuffer(8 * tasks.length);
  const progress = new Float64Array(shared);
  let stopped = false;
  const workers: SieveWorkerThread[] = [];
  const readies: Promise<void>[] = [];
  const results: Promise<SieveTaskResult>[] = [];
  tasks.forEach((task, slot) => {
    const worker = spawn({ task, progress: shared, slot });
    workers.push(worker);
    const watched = watchSieveWorker(worker, slot);
    readies.push(watched.ready);
    results.push(watched.result);
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
