// Places the lanes of a race: compute lanes by the median of their measured passes (elapsed_ms,
// lower is better; passes_per_sec for the drag race, higher is better), other workloads by
// finish order. Lanes whose results came from the mock engine are marked and never placed.
import type { LaneState, RaceState } from "../../../coordinator/protocol/race-state.ts";
import { isMockResult, type MetricSummary, summarizeResults } from "../../../coordinator/protocol/summary.ts";

export interface RankingMetric {
  /** the result metric compared, or null to place by finish order */
  name: "elapsed_ms" | "passes_per_sec" | null;
  higherIsBetter: boolean;
}

export interface RankedLane {
  lane: LaneState;
  /** 1, 2, ... for placed lanes; null for lanes left out (mock, unfinished, failed) */
  place: number | null;
  mock: boolean;
  /** the ranking metric over the measured, non-mock passes */
  measure: MetricSummary | null;
  /** milliseconds from the race's start to the lane's finish */
  finishedAfterMs: number | null;
}

export const isMockLane = (lane: LaneState): boolean => lane.backend === "mock" || lane.results.some(isMockResult);

export function rankingMetric(state: RaceState): RankingMetric {
  if (state.run.workload !== "compute") return { name: null, higherIsBetter: false };
  return state.run.params.preset === "drag_race"
    ? { name: "passes_per_sec", higherIsBetter: true }
    : { name: "elapsed_ms", higherIsBetter: false };
}

/** Placed lanes first (best first, ties share a place), then the rest in lane order. */
export function rankLanes(state: RaceState): RankedLane[] {
  const metric = rankingMetric(state);
  const rows: RankedLane[] = state.lanes.map((lane) => ({
    lane,
    place: null,
    mock: isMockLane(lane),
    measure: metric.name === null ? null : (summarizeResults(lane.results)?.[metric.name] ?? null),
    finishedAfterMs:
      lane.finished_at !== null && state.started_at !== null ? lane.finished_at - state.started_at : null,
  }));
  /** lower is better */
  const score = (row: RankedLane): number | null => {
    if (row.mock || row.lane.status !== "done") return null;
    if (metric.name === null) return row.finishedAfterMs;
    if (row.measure === null) return null;
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
