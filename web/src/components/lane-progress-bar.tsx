// A lane's progress bar: full once the lane is done, empty until its start instant (see
// createLaneStarted), else the fraction its workload reports. Compute and image cards share it.
import type { LaneState } from "../../../coordinator/protocol/race-state.ts";
import { createLaneStarted } from "../lib/create-lane-started.ts";

/** The lane's progress in whole percent, 0 before its start instant. */
export function createLanePercent(
  lane: () => LaneState,
  fraction: () => number,
  clockShiftMs: () => number,
): () => number {
  const started = createLaneStarted(() => lane().start_at, clockShiftMs);
  return () => {
    if (lane().status === "done") return 100;
    return started() ? Math.round(Math.min(1, Math.max(0, fraction())) * 100) : 0;
  };
}

export function LaneProgressBar(props: { lane: LaneState; percent: number; label: string }) {
  return (
    <div
      class="progress"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={props.percent}
      aria-label={props.label}
    >
      <div class={`progress-fill progress-${props.lane.status}`} style={{ width: `${props.percent}%` }} />
    </div>
  );
}
