// Places the lanes of a race by the median of a chosen metric over their measured passes. A lane
// that has not finished, has no value, or whose results came from the mock engine is never placed.
import type { LaneState, RaceState } from "../../../coordinator/protocol/race-state.ts";
import { isMockResult, type MetricSummary, summarizeResults } from "../../../coordinator/protocol/summary.ts";

export interface RankingMetric {
  /** the result metric compared */
  name: string;
  /** how the summary table and the metric choice name it, e.g. "Elapsed" */
  label: string;
  higherIsBetter: boolean;
  /** a value with its unit, e.g. "1.23 s" */
  format(value: number): string;
}

export interface RankedLane {
  lane: LaneState;
  /** 1, 2, ... for placed lanes; null for lanes left out (mock, unfinished, failed, no value) */
  place: number | null;
  mock: boolean;
  /** the ranking metric over the measured, non-mock passes */
  measure: MetricSummary | null;
}

export const isMockLane = (lane: LaneState): boolean => lane.backend === "mock" || lane.results.some(isMockResult);

/** Placed lanes first (best first, ties share a place), then the rest in lane order. No metric places nobody. */
export function rankLanes(state: RaceState, metric: RankingMetric | null): RankedLane[] {
  const rows: RankedLane[] = state.lanes.map((lane) => ({
    lane,
    place: null,
    mock: isMockLane(lane),
    measure: metric === null ? null : (summarizeResults(lane.results)?.[metric.name] ?? null),
  }));
  /** lower is better */
  const score = (row: RankedLane): number | null => {
    if (metric === null || row.mock || row.lane.status !== "done" || row.measure === null) return null;
    return metric.higherIsBetter ? -row.measure.median : row.measure.median;
  };
  const placed = rows
    .filter((row) => score(row) !== null)
    .sort((a, b) => (score(a) ?? 0) - (score(b) ?? 0) || a.lane.index - b.lane.index);
  let previous: number | null = null;
  for (const [i, row] of placed.entries()) {
    const own = score(row);
    const before = placed[i - 1];
    row.place = before && own === previous ? before.place : i + 1;
    previous = own;
  }
  const rest = rows.filter((row) => row.place === null).sort((a, b) => a.lane.index - b.lane.index);
  return [...placed, ...rest];
}
