/**
 * The agent's own timing of a compute pass turned into the published metrics. Rates are per
 * second of wall time measured by the runner from the backend's `begin` to its `result`.
 */
import type { Metrics } from "../coordinator/protocol/job.ts";

export function toComputeMetrics(engine: Metrics, elapsedMs: number): Metrics {
  const seconds = elapsedMs / 1000;
  const rate = (count: unknown) => (typeof count === "number" && seconds > 0 ? count / seconds : null);
  return {
    ...engine,
    elapsed_ms: elapsedMs,
    primes_per_sec: rate(engine.primes_found),
    numbers_per_sec: rate(engine.n),
  };
}
