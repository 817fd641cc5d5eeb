// Names the pass a lane is on, as its card shows it: "warm-up 1 of 2" or "pass 3 of 5".
import type { LaneState } from "../../../coordinator/protocol/race-state.ts";

export function passLabel(lane: LaneState, repeats: number, warmup: number): string | null {
  const current = lane.current;
  if (!current) return null;
  return current.warmup ? `warm-up ${current.repeat + 1} of ${warmup}` : `pass ${current.repeat + 1} of ${repeats}`;
}
