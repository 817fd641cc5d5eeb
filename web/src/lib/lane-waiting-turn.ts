// Lanes on one machine run one at a time: a pending lane whose machine is running another lane is
// not stuck, it waits for its turn, and its card says so instead of a bare "pending 0%".
import type { LaneState } from "../../../coordinator/protocol/race-state.ts";

/** The lane running on `lane`'s machine while `lane` is still pending, or null. */
export function laneAheadOnMachine(lane: LaneState, lanes: readonly LaneState[]): LaneState | null {
  if (lane.status !== "pending") return null;
  return (
    lanes.find(
      (other) => other.lane_id !== lane.lane_id && other.agent_id === lane.agent_id && other.status === "running",
    ) ?? null
  );
}
