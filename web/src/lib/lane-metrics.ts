// Reads a lane's latest measured result: the numbers a lane card shows once a pass finishes.
import type { Metrics } from "../../../coordinator/protocol/job.ts";
import type { LaneState, Result } from "../../../coordinator/protocol/race-state.ts";

/** The last measured (non-warm-up) result, else the last warm-up one; null before any pass ends. */
export function latestResult(lane: LaneState): Result | null {
  const measured = lane.results.filter((result) => !result.warmup);
  return measured.at(-1) ?? lane.results.at(-1) ?? null;
}

/** A metric as a finite number, or null when absent or not numeric. */
export function numberMetric(metrics: Metrics, name: string): number | null {
  const value = metrics[name];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}
