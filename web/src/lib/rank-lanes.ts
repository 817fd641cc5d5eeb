// Places the lanes of a race: compute lanes by the median elapsed_ms of their measured passes,
// other workloads by finish order. Lanes whose results came from the mock engine are marked and
// never placed, as DESIGN.md's measurement rules require.
import type { LaneState, RaceState } from "../../../coordinator/protocol/race-state.ts";
import { isMockResult, type MetricSummary, summarizeResults } from "../../../coordinator/protocol/summary.ts";

export interface RankedLane {
  lane: LaneState;
  /** 1, 2, ... for placed lanes; null for lanes left out (mock, unfinished, failed) */
  place: number | null;
  mock: boolean;
  /** elapsed_ms over the measured, non-mock passes */
  elapsed: MetricSummary | null;
  /** milliseconds from the race's start to the lane's finish */
  finishedAfterMs: number | null;
}

export const isMockLane = (lane: LaneState): boolean => lane.backend === "mock" || lane.results.some(isMockResult);

/** Placed lanes first (best first, ties share a place), then the rest in lane order. */
export function rankLanes(state: RaceState): RankedLane[] {
  const byMedian = state.run.workload === "compute";
  const rows: RankedLane[] = state.lanes.map((lane) => ({
    lane,
    place: null,
    mock: isMockLane(lane),
    elapsed: summarizeResults(lane.results)?.elapsed_ms ?? null,
    finishedAfterMs:
      lane.finished_at !== null && state.started_at !== null ? lane.finished_at - state.started_at : null,
  }));
  const score = (row: RankedLane): number | null => {
    if (row.mock || row.lane.status !== "done") return null;
    return byMedian ? (row.elapsed?.median ?? null) : row.finishedAfterMs;
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
