// How a lane's measured work began relative to the race's common start instant, in words the
// card shows: the measured skew with its uncertainty, the lane it ran after on the same machine,
// and the room's note where the start was not the common one (late, clock not measured).
import type { LaneState } from "../../../coordinator/protocol/race-state.ts";
import { formatDecimal } from "./format.ts";

const signed = (ms: number): string => `${ms < 0 ? "−" : "+"}${formatDecimal(Math.abs(ms), 1)} ms`;

/** "started +0.4 ms ± 1.0", or "started +3.2 ms (clock not measured)"; null before the lane began. */
export function describeStartSkew(lane: Pick<LaneState, "start_skew_ms" | "start_skew_uncertainty_ms">): string | null {
  if (lane.start_skew_ms === null) return null;
  const skew = `started ${signed(lane.start_skew_ms)}`;
  return lane.start_skew_uncertainty_ms === null
    ? `${skew} (clock not measured)`
    : `${skew} ± ${formatDecimal(lane.start_skew_uncertainty_ms, 1)}`;
}

/** The lines a lane card shows about its start, in order; empty before anything is known. */
export function describeLaneStart(lane: LaneState, lanes: readonly LaneState[]): string[] {
  const lines: string[] = [];
  const skew = describeStartSkew(lane);
  if (skew) lines.push(skew);
  if (lane.ran_after !== null) {
    const before = lanes.find((other) => other.lane_id === lane.ran_after);
    const what = before ? (before.model ?? before.backend) : "another lane";
    lines.push(`ran after ${what} on this machine`);
  }
  if (lane.start_note) lines.push(lane.start_note);
  return lines;
}
