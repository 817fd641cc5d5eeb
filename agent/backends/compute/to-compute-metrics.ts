/** Turns the workers' results into the result metrics of a compute pass (DESIGN.md metric names). */
import { type ComputeParams, dragRaceDefaults, knownPrimeCounts } from "../../../coordinator/protocol/compute.ts";
import type { Metrics } from "../../../coordinator/protocol/job.ts";
import type { SieveTaskResult } from "./run-sieve-task.ts";

/**
 * Count: `algorithm`, `n`, `threads_used`, `primes_found`, `verified` (null when pi(n) is not known).
 * Drag race adds `preset`, `passes` (all threads), `passes_per_sec` (sum of each thread's rate) and
 * `duration_s`; `primes_found` is one pass's count, `verified` false if any pass disagreed.
 * More threads than the machine's logical `cores` adds a `note` that says so.
 */
export function toComputeMetrics(params: ComputeParams, results: readonly SieveTaskResult[], cores: number): Metrics {
  const known = knownPrimeCounts.get(params.n);
  const threads = results.length;
  const note: Metrics =
    threads > cores
      ? { note: `${threads} threads on ${cores} logical cores: the threads beyond the cores take turns on them` }
      : {};
  if (params.preset !== "drag_race") {
    const primes = results.reduce((a, r) => a + r.primes, 0);
    return {
      algorithm: params.algorithm,
      n: params.n,
      threads_used: threads,
      primes_found: primes,
      verified: known === undefined ? null : primes === known,
      ...note,
    };
  }
  const first = results[0]?.primes ?? -1;
  const agreed = results.every((r) => r.primes === first && r.primes >= 0);
  const passes = results.reduce((a, r) => a + r.passes, 0);
  const rate = results.reduce((a, r) => a + (r.passesMs > 0 ? (r.passes * 1000) / r.passesMs : 0), 0);
  return {
    algorithm: params.algorithm,
    n: params.n,
    preset: "drag_race",
    threads_used: threads,
    primes_found: first,
    verified: known === undefined ? (agreed ? null : false) : agreed && first === known,
    passes,
    passes_per_sec: Math.round(rate * 100) / 100,
    duration_s: params.duration_s ?? dragRaceDefaults.duration_s,
    ...note,
  };
}
