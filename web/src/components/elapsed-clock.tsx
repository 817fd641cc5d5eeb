// A running lane's elapsed clock from its start instant (the room's common start). Once the lane
// ends its measured times say more than its wall time (which includes engine set-up between
// passes), so the clock goes. The browser's clock stands in for the room's "now".
import { createSignal, onCleanup, Show } from "solid-js";
import type { LaneState } from "../../../coordinator/protocol/race-state.ts";
import { formatClock } from "../lib/format.ts";

/** How often a running clock redraws, in milliseconds. */
const tickMs = 100;

/** `shiftMs`: how far the lane's own clock lags the browser's (a ghost replayed from an earlier race) */
export function ElapsedClock(props: { lane: LaneState; shiftMs?: number }) {
  const [tick, setTick] = createSignal(Date.now());
  const timer = setInterval(() => setTick(Date.now()), tickMs);
  onCleanup(() => clearInterval(timer));
  const now = () => tick() - (props.shiftMs ?? 0);
  const elapsed = (): number | null => {
    const start = props.lane.start_at;
    return start === null || props.lane.status !== "running" ? null : Math.max(0, now() - start);
  };
  return (
    <Show when={elapsed()}>
      {(ms) => (
        <span class="elapsed-clock" data-testid="elapsed-clock" title="time since the common start">
          {formatClock(ms())}
        </span>
      )}
    </Show>
  );
}
