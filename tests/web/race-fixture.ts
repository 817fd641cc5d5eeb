// Builds the stored events of a small compute race for the web tests: lanes "alpha" and "beta"
// on the compute engine, and "mocky" whose results say engine: mock.
import type { Provenance } from "../../coordinator/protocol/job.ts";
import type { LaneSetup, RaceEvent, RaceSetup, StoredEvent } from "../../coordinator/protocol/race-state.ts";

export interface FixtureLane {
  name: string;
  /** elapsed_ms of each measured pass */
  elapsed: number[];
  mock?: boolean;
}

const provenance: Provenance = {
  agent_version: "0.1.0",
  os: "linux",
  hardware_id: "hw",
  engine: "compute",
  engine_version: null,
  model_digest: null,
  remote_engine: false,
  engine_host: null,
  params: {},
};

export function raceSetup(lanes: readonly FixtureLane[], repeats: number): RaceSetup {
  const laneSetups: LaneSetup[] = lanes.map((lane, index) => ({
    lane_id: `lane-${lane.name}`,
    index,
    agent_id: `agent-${lane.name}`,
    agent_name: lane.name,
    backend: "compute",
    model: null,
    params: { algorithm: "segmented_sieve", n: 100_000_000 },
  }));
  return {
    type: "race-setup",
    run: {
      id: "run-1",
      workload: "compute",
      params: { algorithm: "segmented_sieve", n: 100_000_000 },
      repeats,
      warmup: 0,
      created_at: 1_000,
    },
    lanes: laneSetups,
  };
}

/** Every event of the race, numbered from seq 1, ending with race-finish. */
export function computeRaceEvents(lanes: readonly FixtureLane[]): StoredEvent[] {
  const repeats = Math.max(...lanes.map((lane) => lane.elapsed.length));
  const events: RaceEvent[] = [raceSetup(lanes, repeats), { type: "race-start" }];
  for (const lane of lanes) {
    const laneEvent = (event: Extract<RaceEvent, { type: "lane-event" }>["event"]): RaceEvent => ({
      type: "lane-event",
      lane_id: `lane-${lane.name}`,
      job_seq: 1,
      event,
    });
    events.push(laneEvent({ type: "job-start", provenance }));
    for (const [repeat, elapsed] of lane.elapsed.entries()) {
      events.push(laneEvent({ type: "repeat-start", repeat, warmup: false }));
      events.push(
        laneEvent({
          type: "job-progress",
          repeat,
          warmup: false,
          fraction: 0.5,
          line: `${lane.name} pass ${repeat} half`,
        }),
      );
      events.push(
        laneEvent({
          type: "repeat-finish",
          repeat,
          warmup: false,
          metrics: {
            engine: lane.mock ? "mock" : "compute",
            algorithm: "segmented_sieve",
            n: 100_000_000,
            threads_used: 2,
            primes_found: 5_761_455,
            elapsed_ms: elapsed,
            primes_per_sec: 5_761_455 / (elapsed / 1000),
            verified: true,
          },
        }),
      );
    }
    events.push(laneEvent({ type: "job-finish", status: "done", error: null }));
  }
  events.push({ type: "race-finish", status: "done" });
  return events.map((event, index) => ({ seq: index + 1, at: 10_000 + index * 100, event }));
}
