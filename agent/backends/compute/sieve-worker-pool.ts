/**
 * A pool of warm sieve worker threads, sized to the machine and started with the agent, so a pass
 * begins within milliseconds of its start signal. Workers run the compiled bundle when it is fresh
 * (tsx loads the TypeScript otherwise). A worker that dies is replaced; its pass fails, never
 * counts wrong. A job that asks for more threads than the pool holds gets extra workers for itself.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { SieveTask, SieveTaskResult } from "./run-sieve-task.ts";
import type { SieveWorkerMessage, SieveWorkerRequest } from "./sieve-worker.ts";
import { sieveWorkerBundle, sieveWorkerBundleIsFresh, sieveWorkerSource } from "./sieve-worker-entry.mjs";

/** One pass's workers, one per task. */
export interface SieveRun {
  /** resolves once every worker of the run is loaded and warm */
  ready: Promise<void>;
  /** every worker's result in task order; rejects with the first failure */
  finished: Promise<SieveTaskResult[]>;
  /** sends every worker its task */
  start(): void;
  /** each worker's fraction done, 0..1 */
  progress(): readonly number[];
  /** stops the run's workers wherever they are (the pool replaces them); a no-op once finished */
  cancel(): void;
}

export interface SieveWorkerPool {
  /** workers kept warm */
  readonly size: number;
  /** takes one worker per task, spawning extra ones past the pool's size */
  run(tasks: readonly SieveTask[]): SieveRun;
  /** stops every worker; the pool spawns no more */
  close(): void;
}

/** The part of a worker thread the pool uses; tests pass a stand-in. */
export interface SieveWorkerThread {
  on(event: "message", listener: (message: SieveWorkerMessage) => void): unknown;
  on(event: "error", listener: (error: Error) => void): unknown;
  on(event: "exit", listener: (code: number) => void): unknown;
  postMessage(message: SieveWorkerRequest): void;
  terminate(): unknown;
  /** keep the process alive while the worker is busy; let it exit while the worker idles */
  ref?(): void;
  unref?(): void;
}

export type SpawnSieveWorker = () => SieveWorkerThread;

/**
 * Node 20 ignores `--import tsx` in a worker's execArgv for the worker's own entry file, so a
 * two-line ES module registers tsx's loader first and then imports sieve-worker.ts.
 */
function tsxBootstrapUrl(): URL {
  const tsxApi =
    typeof import.meta.resolve === "function"
      ? import.meta.resolve("tsx/esm/api")
      : pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api")).href.replace(/\.cjs$/, ".mjs");
  const entry = pathToFileURL(sieveWorkerSource).href;
  const code = `import { register } from ${JSON.stringify(tsxApi)};\nregister();\nawait import(${JSON.stringify(entry)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

/** Spawns workers from `entry` (a compiled bundle), else from the bundle when fresh, else through tsx. */
export function spawnSieveWorkerFrom(entry?: string): SpawnSieveWorker {
  const url = entry
    ? pathToFileURL(entry)
    : sieveWorkerBundleIsFresh()
      ? pathToFileURL(sieveWorkerBundle)
      : tsxBootstrapUrl();
  return () => new Worker(url);
}

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
  // whoever waits may have stopped listening after a cancel: a rejection then is expected
  promise.catch(() => {});
  return { promise, resolve, reject };
}

interface PoolWorker {
  thread: SieveWorkerThread;
  ready: Settle<void>;
  /** the pass it runs now, settled straight from the worker's events */
  job: Settle<SieveTaskResult> | null;
  /** its slot in the run it belongs to, for error messages */
  slot: number;
  /** stopped on purpose (cancel, close, surplus): its exit is no failure */
  retired: boolean;
  /** reported ready once: only such a worker is replaced at once when it dies */
  warm: boolean;
}

export function createSieveWorkerPool(size: number, spawn: SpawnSieveWorker = spawnSieveWorkerFrom()): SieveWorkerPool {
  const live = new Set<PoolWorker>();
  const idle: PoolWorker[] = [];
  let closed = false;

  /**
   * Settles `ready` and the job straight from the worker's events, with no promise hop between a
   * message and the exit that follows it: when a worker ends, Node emits every message left in its
   * port and then `exit` in one synchronous run, so a result posted just before an exit has
   * settled the job (and cleared it) by the time `exit` is handled.
   */
  const add = (): PoolWorker => {
    const worker: PoolWorker = { thread: spawn(), ready: settle(), job: null, slot: 0, retired: false, warm: false };
    live.add(worker);
    const fail = (error: Error) => {
      worker.ready.reject(error);
      worker.job?.reject(error);
      worker.job = null;
    };
    worker.thread.on("message", (message) => {
      if (message.type === "ready") {
        worker.warm = true;
        worker.ready.resolve();
      } else if (message.type === "done") worker.job?.resolve(message.result);
      else worker.job?.reject(new Error(message.message));
      if (message.type !== "ready") worker.job = null;
    });
    worker.thread.on("error", fail);
    worker.thread.on("exit", (code) => {
      live.delete(worker);
      const at = idle.indexOf(worker);
      if (at >= 0) idle.splice(at, 1);
      if (!worker.retired) {
        fail(
          new Error(
            `sieve worker ${worker.slot} stopped unexpectedly (exit code ${code}) before reporting its count; ` +
              "it has been replaced, so run the pass again",
          ),
        );
      }
      // one that never loaded would fail again: the next pass spawns what it lacks, no respawn loop
      if (worker.warm) fill();
    });
    worker.thread.unref?.();
    return worker;
  };

  const fill = () => {
    while (!closed && live.size < size) idle.push(add());
  };

  const retire = (worker: PoolWorker) => {
    worker.retired = true;
    void worker.thread.terminate();
  };

  const release = (worker: PoolWorker) => {
    if (worker.retired || !live.has(worker)) return;
    if (closed || live.size > size) retire(worker);
    else {
      worker.thread.unref?.();
      idle.push(worker);
    }
  };

  fill();

  return {
    size,
    run(tasks) {
      const workers = tasks.map((_, slot) => {
        // the worker released last first: its caches and compiled code are the warmest
        const worker = idle.pop() ?? add();
        worker.slot = slot;
        worker.job = settle();
        worker.thread.ref?.();
        return worker;
      });
      const shared = new SharedArrayBuffer(8 * tasks.length);
      const progress = new Float64Array(shared);
      let done = false;
      let started = false;
      // a worker still busy when another one failed would answer the next run with this one's count
      const stopBusy = () => {
        done = true;
        for (const worker of workers) {
          const busy = started && worker.job !== null;
          worker.job?.reject(new Error("cancelled"));
          worker.job = null;
          if (busy) retire(worker);
          else release(worker);
        }
      };
      const finished = Promise.all(workers.map((w) => (w.job as Settle<SieveTaskResult>).promise)).finally(() => {
        if (!done) stopBusy();
      });
      finished.catch(() => {});
      const ready = Promise.all(workers.map((w) => w.ready.promise)).then(() => undefined);
      ready.catch(() => {});
      return {
        ready,
        finished,
        start() {
          started = true;
          tasks.forEach((task, slot) => {
            workers[slot]?.thread.postMessage({ type: "run", task, progress: shared, slot });
          });
        },
        progress: () => Array.from(progress),
        cancel() {
          if (!done) stopBusy();
        },
      };
    },
    close() {
      closed = true;
      for (const worker of [...live]) retire(worker);
      idle.length = 0;
    },
  };
}
