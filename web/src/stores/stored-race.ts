// A finished race as the race page shows it: its stored events folded once (the RunView stands in
// if it has none), and on request replayed at real speed from the start, chart and all.
import { createSignal, onCleanup } from "solid-js";
import type { RunView } from "../../../coordinator/protocol/api.ts";
import type { RaceState, StoredEvent } from "../../../coordinator/protocol/race-state.ts";
import type { MachineSample } from "../../../coordinator/protocol/runtime-sample.ts";
import { api } from "../lib/api-client.ts";
import { errorText } from "../lib/error-text.ts";
import { raceStateFromRun, withRunOutcome } from "../lib/race-state-from-run.ts";
import { replayEvents } from "../lib/replay-events.ts";
import { createSpeedRecorder, type SpeedSeries } from "../lib/speed-series.ts";
import { raceStartOf, startTimedReplay } from "../lib/timed-replay.ts";
import type { RaceSource } from "./race-source.ts";

export interface StoredRace extends RaceSource {
  /** plays the race again from its start at real speed; false when there are no events to play */
  replay(): boolean;
  /** true while a replay plays */
  replaying(): boolean;
  /** while replaying: the replay's start minus the race's start, ms (lane clocks run on the replay's time) */
  clockShiftMs(): number;
  stopReplay(): void;
}

export function createStoredRace(run: RunView): StoredRace {
  const [state, setState] = createSignal<RaceState>(raceStateFromRun(run));
  const [error, setError] = createSignal<string | null>(null);
  const [speeds, setSpeeds] = createSignal<SpeedSeries>(createSpeedRecorder().series());
  const [replaying, setReplaying] = createSignal(false);
  const [clockShiftMs, setClockShiftMs] = createSignal(0);
  let events: StoredEvent[] = [];
  let stop: (() => void) | null = null;

  const showFinished = () => {
    const recorder = createSpeedRecorder();
    const replayed = replayEvents(events, recorder.record);
    if (replayed) setState(withRunOutcome(replayed, run));
    setSpeeds(recorder.series());
  };

  const [samples, setSamples] = createSignal<MachineSample[]>([]);
  // samples are a bonus: a run stored without them still shows its results
  api.getRunSamples(run.id).then(setSamples, () => setSamples([]));

  api.getRunEvents(run.id).then(
    (loaded) => {
      events = loaded;
      showFinished();
    },
    (cause: unknown) => setError(`Could not load the race's events: ${errorText(cause)}`),
  );

  const stopReplay = () => {
    stop?.();
    stop = null;
    if (replaying()) {
      setReplaying(false);
      showFinished();
    }
  };
  onCleanup(() => stop?.());

  return {
    state,
    live: () => null,
    samples: (agentId) => samples().filter((sample) => sample.agent_id === agentId),
    connection: () => "closed",
    error,
    speeds,
    replaying,
    clockShiftMs,
    stopReplay,
    replay() {
      if (events.length === 0) return false;
      stop?.();
      const recorder = createSpeedRecorder();
      const last = Math.max(...events.map((event) => event.seq));
      const startAt = Date.now();
      setClockShiftMs(startAt - (raceStartOf(events) ?? startAt));
      setReplaying(true);
      stop = startTimedReplay({
        events,
        startAt,
        onState: (next, folded) => {
          for (const stored of folded) recorder.record(stored, next);
          setState(next);
          setSpeeds(recorder.series());
          if (folded.some((stored) => stored.seq === last)) stopReplay();
        },
      });
      return true;
    },
  };
}
