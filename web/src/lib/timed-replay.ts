// Replays a stored race at real speed: each event is folded when as much time has passed since
// the replay's start as passed since the race's start when it was stored. Used for "Replay" on a
// finished race and for a ghost race beside a live one (its start lined up with the live start).
import {
  applyRaceEvent,
  createRaceState,
  type RaceState,
  type StoredEvent,
} from "../../../coordinator/protocol/race-state.ts";

export interface TimedReplayOptions {
  events: readonly StoredEvent[];
  /** the instant (ms, same clock as `now`) the replayed race's start instant maps to */
  startAt: number;
  /** each new state, with the events folded since the last */
  onState(state: RaceState, folded: readonly StoredEvent[]): void;
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/** The replayed race's start: its race-start event's time, else its first event's. */
export function raceStartOf(events: readonly StoredEvent[]): number | null {
  const start = events.find((stored) => stored.event.type === "race-start") ?? events[0];
  return start?.at ?? null;
}

/** Starts the replay; returns stop. Events before the race start are folded at once. */
export function startTimedReplay(options: TimedReplayOptions): () => void {
  const now = options.now ?? Date.now;
  const setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  const ordered = [...options.events].sort((a, b) => a.seq - b.seq);
  const setup = ordered.find((stored) => stored.event.type === "race-setup");
  const origin = raceStartOf(ordered);
  if (setup?.event.type !== "race-setup" || origin === null) return () => undefined;
  let state = createRaceState(setup.event);
  let next = 0;
  let timer: unknown = null;
  let stopped = false;

  const step = () => {
    timer = null;
    if (stopped) return;
    const elapsed = now() - options.startAt;
    const folded: StoredEvent[] = [];
    while (next < ordered.length) {
      const stored = ordered[next];
      if (!stored || stored.at - origin > elapsed) break;
      state = applyRaceEvent(state, stored);
      folded.push(stored);
      next++;
    }
    if (folded.length > 0) options.onState(state, folded);
    const upcoming = ordered[next];
    if (upcoming) timer = setTimer(step, Math.max(0, upcoming.at - origin - elapsed));
  };
  step();
  return () => {
    stopped = true;
    if (timer !== null) clearTimer(timer);
  };
}
