// The gap between a placed lane and the leader on the ranking metric, as a race reads it:
// "+0.53 s, 9 % slower" for a time, "−4.2 tokens/s, 9 % slower" for a rate.
import { formatDecimal } from "./format.ts";
import type { RankedLane, RankingMetric } from "./rank-lanes.ts";

/** The gap of `value` behind `leader`; "leader" for the leader itself (or a tie), null without values. */
export function formatGap(metric: RankingMetric, leader: number, value: number): string {
  const behind = metric.higherIsBetter ? leader - value : value - leader;
  if (behind <= 0) return "leader";
  const sign = metric.higherIsBetter ? "−" : "+";
  const percent = leader === 0 ? null : (behind / Math.abs(leader)) * 100;
  const share = percent === null ? "" : `, ${formatDecimal(percent, percent < 10 ? 1 : 0)} % slower`;
  return `${sign}${metric.format(behind)}${share}`;
}

/** The gap of each placed row to the first place, keyed by lane id; unplaced rows have none. */
export function gapsToLeader(rows: readonly RankedLane[], metric: RankingMetric | null): Map<string, string> {
  const gaps = new Map<string, string>();
  const leader = rows.find((row) => row.place === 1)?.measure?.median;
  if (metric === null || leader === undefined) return gaps;
  for (const row of rows) {
    if (row.place === null || row.measure === null) continue;
    gaps.set(row.lane.lane_id, formatGap(metric, leader, row.measure.median));
  }
  return gaps;
}
