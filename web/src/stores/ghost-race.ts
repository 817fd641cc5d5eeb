// A ghost race: a finished run replayed at real speed beside a live one, its start lined up with
// the live race's start instant, so each machine's ghost lane shows where that machine (or
// another) was at this point last time. Clocks: the live start is the room's, replay uses the
// browser's; on one machine they agree, across machines they may differ by the clocks' offset.
import { createEffect, createSignal, onCleanup } from "solid-js";
import type { RaceState, StoredEvent } from "../../../coordinator/protocol/race-state.ts";
import { api } from "../lib/api-client.ts";
import { errorText } from "../lib/error-text.ts";
import { raceStartOf, startTimedReplay } from "../lib/timed-replay.ts";

export interface GhostRace {
  state(): RaceState | null;
  /** the live start minus the ghost race's start, ms: add it to a ghost time to get the replay's time */
  clockShiftMs(): number;
  error(): string | null;
}

/** Loads the ghost run's events now and starts replaying once `startedAt` (the live race's start) is known. */
export function createGhostRace(ghostRunId: string, startedAt: () => number | null): GhostRace {
  const [events, setEvents] = createSignal<StoredEvent[] | null>(null);
  const [state, setState] = createSignal<RaceState | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [clockShiftMs, setClockShiftMs] = createSignal(0);
  api
    .getRunEvents(ghostRunId)
    .then(setEvents, (cause: unknown) => setError(`Could not load the ghost race ${ghostRunId}: ${errorText(cause)}`));
  createEffect(() => {
    const loaded = events();
    const start = startedAt();
    const origin = loaded ? raceStartOf(loaded) : null;
    if (!loaded || start === null || origin === null) return;
    setClockShiftMs(start - origin);
    const stop = startTimedReplay({ events: loaded, startAt: start, onState: (next) => setState(next) });
    onCleanup(stop);
  });
  return { state, clockShiftMs, error };
}
