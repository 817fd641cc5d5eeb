// Rebuilds a finished race from its stored events with the same reducer the room uses, so a
// finished race opens exactly as it ended.
import {
  applyRaceEvent,
  createRaceState,
  type RaceState,
  type StoredEvent,
} from "../../../coordinator/protocol/race-state.ts";

/** Folds the events in seq order; null when there is no race-setup to start from. */
export function replayEvents(events: readonly StoredEvent[]): RaceState | null {
  const ordered = [...events].sort((a, b) => a.seq - b.seq);
  for (const stored of ordered) {
    if (stored.event.type === "race-setup") return ordered.reduce(applyRaceEvent, createRaceState(stored.event));
  }
  return null;
}
