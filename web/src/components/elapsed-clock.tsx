// A lane's elapsed clock from its start instant (the room's common start): ticking while the lane
// runs, stopped at its end. Times are the room's clock; the browser's clock stands in for "now".
import { createSignal, onCleanup, Show } from "solid-js";
import type { LaneState } from "../../../coordinator/protocol/race-state.ts";
import { formatClock } from "../lib/format.ts";

/** How often a running clock redraws, in milliseconds. */
const tickMs = 100;

export function ElapsedClock(props: { lane: LaneState; now?: () => number }) {
  const [tick, setTick] = createSignal(Date.now());
  const timer = setInterval(() => setTick(Date.now()), tickMs);
  onCleanup(() => clearInterval(timer));
  const now = () => props.now?.() ?? tick();
  const elapsed = (): number | null => {
    const start = props.lane.start_at;
    if (start === null) return null;
    if (props.lane.status === "running") return Math.max(0, now() - start);
    return props.lane.finished_at === null ? null : Math.max(0, props.lane.finished_at - start);
  };
  return (
    <Show when={elapsed()}>
      {(ms) => (
        <span
          class="elapsed-clock"
          data-testid="elapsed-clock"
          classList={{ ticking: props.lane.status === "running" }}
        >
          {formatClock(ms())}
        </span>
      )}
    </Show>
  );
}
