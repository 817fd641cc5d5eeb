// Says that a lane card's figures are its last pass when it has several, while the standings rank
// the median of them: the two agree once the reader knows which is which.
import { Show } from "solid-js";
import type { LaneState } from "../../../coordinator/protocol/race-state.ts";

export function LastPassCaption(props: { lane: LaneState }) {
  const measured = () => props.lane.results.filter((result) => !result.warmup).length;
  return (
    <Show when={measured() > 1}>
      <p class="progress-caption muted" data-testid="last-pass-caption">
        Last of {measured()} passes; the standings rank the median.
      </p>
    </Show>
  );
}
