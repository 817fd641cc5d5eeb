/**
 * What one worker thread computes, as a plain function: count the primes <= n, alone or taking
 * chunks of [0, n] from a counter shared with the other threads, or run drag-race passes over
 * [0, n] until its time is up. Kept apart from the worker wiring so tests can call it directly.
 */
import type { ComputeAlgorithm } from "../../../coordinator/protocol/compute.ts";
import { countPrimesSimple } from "./count-primes-simple.ts";
import { countPrimesTrial } from "./count-primes-trial.ts";
import { countWheelPrimes } from "./count-wheel-primes.ts";
import { planWheelChunks, type WheelChunks, wheelChunk } from "./plan-wheel-chunks.ts";
import { presievedPrimes } from "./presieve-pattern.ts";
import { readCacheSizes, type SieveSizes, sieveSizesForCache } from "./sieve-sizes-for-cache.ts";

export type SieveTask =
  /** count the primes <= n on this thread */
  | { kind: "count"; algorithm: ComputeAlgorithm; n: number }
  /**
   * segmented sieve over threads: take chunk indexes from `next` (an Int32Array of one slot shared
   * by every thread of the count, starting at 0) and count the primes in each chunk, until none is left
   */
  | { kind: "count_chunks"; n: number; plan: WheelChunks; next: SharedArrayBuffer }
  /** count all primes <= n again and again, one pass after another, for `durationS` seconds */
  | { kind: "drag_race"; algorithm: ComputeAlgorithm; n: number; durationS: number };

export interface SieveTaskResult {
  /** primes found (in a drag race: by one pass, or -1 when passes disagreed) */
  primes: number;
  /** completed passes (1 for a count) */
  passes: number;
  /** drag race only: milliseconds the passes took, measured by the worker itself; 0 for a count */
  passesMs: number;
  /** when the first segment (or progress step) was done: performance.timeOrigin + now(), ms; null if none */
  firstSegmentAt?: number | null;
  /** when the task ended, on the same clock */
  doneAt?: number;
}

let sizes: SieveSizes | null = null;

/** this thread's segment and block sizes, from the core's caches, read once */
function threadSieveSizes(): SieveSizes {
  sizes ??= sieveSizesForCache(readCacheSizes());
  return sizes;
}

/** The primes the wheel kernel never sees: 2, 3, 5 and the pre-sieved ones. */
const wheelSkippedPrimes = [2, 3, 5, ...presievedPrimes];

/** Runs a task to its end on the calling thread; `onProgress` gets the fraction done now and then. */
export function runSieveTask(task: SieveTask, onProgress: (fraction: number) => void): SieveTaskResult {
  if (task.kind === "count") {
    const allBytes = Math.floor(task.n / 30) + 1;
    return { primes: countOnce(task.algorithm, task.n, 0, allBytes, onProgress), passes: 1, passesMs: 0 };
  }
  if (task.kind === "count_chunks") return { primes: countChunks(task, onProgress), passes: 1, passesMs: 0 };
  const quiet = () => {};
  const allBytes = Math.floor(task.n / 30) + 1;
  const budgetMs = task.durationS * 1000;
  const started = performance.now();
  let primes = countOnce(task.algorithm, task.n, 0, allBytes, quiet);
  let passes = 1;
  let elapsed = performance.now() - started;
  while (elapsed < budgetMs) {
    if (countOnce(task.algorithm, task.n, 0, allBytes, quiet) !== primes) primes = -1;
    passes++;
    elapsed = performance.now() - started;
    onProgress(Math.min(1, elapsed / budgetMs));
  }
  return { primes, passes, passesMs: elapsed };
}

/** Sizes that make V8 optimize the baselines' hot code in a few milliseconds. */
const warmUpN = { simple_sieve: 1e6, trial_division: 1e5 } as const;
/** the segmented sieve warms up over [0, 1e8] in chunks, as 4 threads would take them */
const warmUpChunkedN = 1e8;
/** and over the last chunk below 1e11 */
const warmUpHighN = 1e11;

/**
 * Small tasks of every algorithm that a worker runs through its own task handler before it reports
 * ready, so the JIT compiles the hot loops (and the kernels build their pre-sieve patterns) the way
 * an ahead-of-time compiled engine starts with them compiled. The segmented sieve runs as a count
 * does: chunk after chunk from a shared counter, with the same progress callbacks, and once high
 * up, where the squares of sieving primes pass 2^31. Warmed up another way (one small range, or a
 * different progress callback), V8 threw the kernel's compiled code away in the first real count
 * ("wrong call target", "not a Smi") and compiled it again: the first pass on each worker paid.
 */
export function warmUpTasks(): SieveTask[] {
  const baselines = (Object.entries(warmUpN) as [ComputeAlgorithm, number][]).map(
    ([algorithm, n]): SieveTask => ({ kind: "count", algorithm, n }),
  );
  const chunked = planWheelChunks(warmUpChunkedN, 4, 1 << 16);
  const high = planWheelChunks(warmUpHighN, 64);
  // the counter starts at the last chunk: only that one is counted
  const lastOnly = new SharedArrayBuffer(4);
  new Int32Array(lastOnly)[0] = high.chunks - 1;
  return [
    ...baselines,
    { kind: "count_chunks", n: warmUpChunkedN, plan: chunked, next: new SharedArrayBuffer(4) },
    { kind: "count_chunks", n: warmUpHighN, plan: high, next: lastOnly },
  ];
}

/** Counts chunk after chunk; `onProgress` gets this thread's bytes done over all of [0, n]. */
function countChunks(task: Extract<SieveTask, { kind: "count_chunks" }>, onProgress: (fraction: number) => void) {
  const next = new Int32Array(task.next);
  const total = task.plan.totalBytes;
  let primes = 0;
  let done = 0;
  for (let index = Atomics.add(next, 0, 1); index < task.plan.chunks; index = Atomics.add(next, 0, 1)) {
    const { fromByte, toByte } = wheelChunk(task.plan, index);
    const span = toByte - fromByte;
    primes += countOnce("segmented_sieve", task.n, fromByte, toByte, (f) => onProgress((done + f * span) / total));
    done += span;
  }
  return primes;
}

function countOnce(
  algorithm: ComputeAlgorithm,
  n: number,
  fromByte: number,
  toByte: number,
  onProgress: (fraction: number) => void,
): number {
  if (algorithm === "simple_sieve") return countPrimesSimple(n, onProgress);
  if (algorithm === "trial_division") return countPrimesTrial(n, onProgress);
  const span = toByte - fromByte;
  const found = countWheelPrimes({
    n,
    fromByte,
    toByte,
    ...threadSieveSizes(),
    onSegment: (done) => onProgress(done / span),
  });
  return fromByte === 0 ? found + wheelSkippedPrimes.filter((p) => p <= n).length : found;
}
