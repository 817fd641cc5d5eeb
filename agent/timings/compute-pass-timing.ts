/**
 * The runner's own timing of a compute pass added to what the workers reported. Rates are per
 * second of wall time from the backend's `begin` to its `result`. A drag race is a fixed-time
 * run whose rate (passes_per_sec) its workers already measured, so it only gains elapsed_ms.
 */
import type { Metrics } from "../../coordinator/protocol/job.ts";
import type { PassTiming } from "./pass-timing.ts";
import { toMicroseconds } from "./to-microseconds.ts";

export function withComputeTimings(engine: Metrics, measuredMs: number): Metrics {
  const elapsedMs = toMicroseconds(measuredMs);
  if (engine.preset === "drag_race") return { ...engine, elapsed_ms: elapsedMs };
  const seconds = elapsedMs / 1000;
  const rate = (count: unknown) => (typeof count === "number" && seconds > 0 ? count / seconds : null);
  return {
    ...engine,
    elapsed_ms: elapsedMs,
    primes_per_sec: rate(engine.primes_found),
    numbers_per_sec: rate(engine.n),
  };
}

export function createComputePassTiming(): PassTiming {
  return {
    observe() {},
    live: () => null,
    finish: (engine, tMs) => ({ metrics: withComputeTimings(engine, tMs) }),
  };
}
