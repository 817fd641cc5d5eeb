// Reads a lane's results: the latest measured one a lane card shows once a pass finishes, and the
// medians the summary table shows.
import type { Metrics } from "../../../coordinator/protocol/job.ts";
import type { LaneState, Result } from "../../../coordinator/protocol/race-state.ts";
import { summarizeResults } from "../../../coordinator/protocol/summary.ts";

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

/** The median of a metric over the lane's measured passes, formatted; "—" when there is none. */
export function medianText(lane: LaneState, name: string, format: (value: number) => string): string {
  const value = summarizeResults(lane.results)?.[name]?.median;
  return value === undefined ? "—" : format(value);
}
