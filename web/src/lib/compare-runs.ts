// Two or more runs side by side: one row per machine and model (or engine), one column per run,
// each cell the median of the ranking metric over the lane's measured passes, and its change
// against the pinned baseline run, judged better or worse by the metric's direction.
import type { RunView } from "../../../coordinator/protocol/api.ts";
import type { RankingMetric } from "./rank-lanes.ts";

export interface ComparisonCell {
  run_id: string;
  /** the lane's median, null where the run has no such lane or no value */
  median: number | null;
  /** percent change against the baseline's cell (positive: higher); null for the baseline itself or without both values */
  change_percent: number | null;
  /** whether the change is an improvement for this metric; null without a change */
  better: boolean | null;
}

export interface ComparisonRow {
  /** "gpu-box · llama3:8b" */
  key: string;
  cells: ComparisonCell[];
}

const laneKey = (lane: RunView["lanes"][number]): string => `${lane.agent_name} · ${lane.model ?? lane.backend}`;

/** Rows in the order lanes first appear; the baseline is the run with `baselineId` (else the first). */
export function compareRuns(
  runs: readonly RunView[],
  metric: RankingMetric,
  baselineId: string | null,
): ComparisonRow[] {
  const keys: string[] = [];
  for (const run of runs) for (const lane of run.lanes) if (!keys.includes(laneKey(lane))) keys.push(laneKey(lane));
  const baseline = runs.find((run) => run.id === baselineId) ?? runs[0];
  const medianOf = (run: RunView | undefined, key: string): number | null => {
    const lane = run?.lanes.find((candidate) => laneKey(candidate) === key);
    const median = lane?.summary?.[metric.name]?.median;
    return typeof median === "number" && lane?.status === "done" ? median : null;
  };
  return keys.map((key) => {
    const base = medianOf(baseline, key);
    return {
      key,
      cells: runs.map((run) => {
        const median = medianOf(run, key);
        if (run.id === baseline?.id || median === null || base === null || base === 0) {
          return { run_id: run.id, median, change_percent: null, better: null };
        }
        const change = ((median - base) / Math.abs(base)) * 100;
        return {
          run_id: run.id,
          median,
          change_percent: change,
          better: change === 0 ? null : metric.higherIsBetter ? change > 0 : change < 0,
        };
      }),
    };
  });
}

/** Run ids from `?ids=a,b,c`: trimmed, without repeats, at most 8. */
export function parseCompareIds(value: string | string[] | undefined): string[] {
  const text = Array.isArray(value) ? value.join(",") : (value ?? "");
  return [
    ...new Set(
      text
        .split(",")
        .map((id) => id.trim())
        .filter(Boolean),
    ),
  ].slice(0, 8);
}
