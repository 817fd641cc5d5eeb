// Speed over time of every lane of a race, for the race chart: generated tokens per second (llm)
// or numbers sieved per second (compute), read from the race's stored events as they are folded.
// x is seconds since the lane's start instant, so lanes line up at the common start.
import type { RaceState, StoredEvent } from "../../../coordinator/protocol/race-state.ts";

export interface LaneSpeed {
  lane_id: string;
  /** seconds since the lane's start instant */
  x: number[];
  /** units per second over the step that ends at x */
  y: number[];
}

export interface SpeedSeries {
  /** what y counts, e.g. "tokens/s" */
  unit: string;
  lanes: LaneSpeed[];
}

/** Shortest step a speed is taken over, in seconds: shorter ones are merged into the next. */
const minStepS = 0.25;

interface Last {
  pass: string;
  x: number;
  units: number;
}

/** Units done so far in the pass (tokens or numbers), or null when the event says nothing about it. */
function unitsOf(stored: StoredEvent, state: RaceState): { laneId: string; pass: string; units: number } | null {
  const { event } = stored;
  if (event.type !== "lane-event") return null;
  const job = event.event;
  const lane = state.lanes.find((candidate) => candidate.lane_id === event.lane_id);
  if (!lane) return null;
  if (job.type === "job-text" && job.tokens !== null) {
    return { laneId: lane.lane_id, pass: `${job.repeat}/${job.warmup}`, units: job.tokens };
  }
  if (job.type === "job-progress" && typeof lane.params.n === "number" && lane.params.preset === undefined) {
    return { laneId: lane.lane_id, pass: `${job.repeat}/${job.warmup}`, units: job.fraction * lane.params.n };
  }
  if (job.type === "repeat-start") return { laneId: lane.lane_id, pass: `${job.repeat}/${job.warmup}`, units: 0 };
  return null;
}

/** Records speeds as events are folded; `record` takes each event with the state after it. */
export function createSpeedRecorder() {
  const last = new Map<string, Last>();
  const speeds = new Map<string, LaneSpeed>();
  let unit = "per s";
  return {
    record(stored: StoredEvent, state: RaceState): void {
      const sample = unitsOf(stored, state);
      if (!sample) return;
      const lane = state.lanes.find((candidate) => candidate.lane_id === sample.laneId);
      const origin = lane?.start_at ?? state.started_at;
      if (origin === null || origin === undefined) return;
      unit = state.run.workload === "llm" ? "tokens/s" : "numbers/s";
      const x = (stored.at - origin) / 1000;
      const before = last.get(sample.laneId);
      if (!before || before.pass !== sample.pass || sample.units < before.units) {
        last.set(sample.laneId, { pass: sample.pass, x, units: sample.units });
        return;
      }
      if (x - before.x < minStepS) return;
      const series = speeds.get(sample.laneId) ?? { lane_id: sample.laneId, x: [], y: [] };
      series.x.push(x);
      series.y.push((sample.units - before.units) / (x - before.x));
      speeds.set(sample.laneId, series);
      last.set(sample.laneId, { pass: sample.pass, x, units: sample.units });
    },
    series(): SpeedSeries {
      return { unit, lanes: [...speeds.values()].map((lane) => ({ ...lane, x: [...lane.x], y: [...lane.y] })) };
    },
  };
}

/** Lanes on one x axis for the chart: every lane's x merged, a lane's y null where it has no point. */
export function alignSpeeds(series: SpeedSeries): { x: number[]; ys: (number | null)[][] } {
  const x = [...new Set(series.lanes.flatMap((lane) => lane.x))].sort((a, b) => a - b);
  const ys = series.lanes.map((lane) => {
    const at = new Map(lane.x.map((value, i) => [value, lane.y[i] ?? null]));
    return x.map((value) => at.get(value) ?? null);
  });
  return { x, ys };
}
