// The energy of a lane's latest measured pass, with where it came from; "not measured" where the
// machine has no power readings (never a zero).
import { Show } from "solid-js";
import type { LaneState } from "../../../coordinator/protocol/race-state.ts";
import { numberMetric } from "../lib/lane-metrics.ts";

export function EnergyNote(props: { lane: LaneState }) {
  const latest = () => props.lane.results.filter((result) => !result.warmup).at(-1) ?? null;
  const energy = () => {
    const result = latest();
    return result ? numberMetric(result.metrics, "energy_j") : null;
  };
  return (
    <Show when={latest()}>
      {(result) => (
        <p class="muted energy-note" data-testid="energy">
          Energy:{" "}
          <Show when={energy() !== null} fallback="not measured">
            {energy()?.toFixed(1)} J at {numberMetric(result().metrics, "avg_power_w")?.toFixed(0)} W (
            {String(result().metrics.energy_source)})
          </Show>
        </p>
      )}
    </Show>
  );
}
