// Rebuilds a finished race from its stored events with the same reducer the room uses, so a
// finished race opens exactly as it ended.
import {
  applyRaceEvent,
  createRaceState,
  type RaceState,
  type StoredEvent,
} from "../../../coordinator/protocol/race-state.ts";

/**
 * Folds the events in seq order; null when there is no race-setup to start from. `observe` sees
 * each event with the state after it (the speed chart records from it).
 */
export function replayEvents(
  events: readonly StoredEvent[],
  observe?: (stored: StoredEvent, state: RaceState) => void,
): RaceState | null {
  const ordered = [...events].sort((a, b) => a.seq - b.seq);
  const setup = ordered.find((stored) => stored.event.type === "race-setup");
  if (setup?.event.type !== "race-setup") return null;
  let state = createRaceState(setup.event);
  for (const stored of ordered) {
    state = applyRaceEvent(state, stored);
    observe?.(stored, state);
  }
  return state;
}
