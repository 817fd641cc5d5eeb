/**
 * A finished two-lane compute race as the room would sink it: stored events folded with the shared
 * reducer into the final state. Lane l1's agent name holds a comma, to exercise CSV quoting.
 */
import type { RunBatch } from "../../coordinator/protocol/api.ts";
import type { Provenance } from "../../coordinator/protocol/job.ts";
import {
  applyRaceEvent,
  createRaceState,
  type RaceEvent,
  type RaceSetup,
  type RaceState,
  type StoredEvent,
  toLaneRecord,
} from "../../coordinator/protocol/race-state.ts";
import type { Db } from "../../db/client.ts";
import { insertRun } from "../../db/runs.ts";

export const fixtureStart = Date.UTC(2026, 0, 2, 3, 0, 0);

export function fixtureSetup(runId: string, createdAt = fixtureStart): RaceSetup {
  const params = { algorithm: "segmented_sieve", n: 1000, progress_interval_s: 1 };
  return {
    type: "race-setup",
    run: { id: runId, workload: "compute", params, repeats: 2, warmup: 1, created_at: createdAt },
    lanes: [
      { lane_id: "l0", index: 0, agent_id: "a1", agent_name: "box-one", backend: "compute", model: null, params },
      { lane_id: "l1", index: 1, agent_id: "a2", agent_name: 'mac, "studio"', backend: "compute", model: null, params },
    ],
  };
}

const provenance = (agentId: string): Provenance => ({
  agent_version: "0.1.0",
  os: "linux",
  hardware_id: `hw-${agentId}`,
  engine: "compute",
  engine_version: "1",
  model_digest: null,
  remote_engine: false,
  engine_host: null,
  params: {},
});

const metrics = (elapsed: number) => ({
  algorithm: "segmented_sieve",
  n: 1000,
  threads_used: 2,
  primes_found: 168,
  elapsed_ms: elapsed,
  primes_per_sec: 168_000 / elapsed,
  verified: true,
});

/** The race's events: setup, start, each lane's warm-up and two measured passes, finish. */
export function fixtureEvents(runId: string): StoredEvent[] {
  const lane = (laneId: string, agentId: string, elapsed: number[]): RaceEvent[] => [
    { type: "lane-event", lane_id: laneId, job_seq: 1, event: { type: "job-start", provenance: provenance(agentId) } },
    ...elapsed.map(
      (ms, i): RaceEvent => ({
        type: "lane-event",
        lane_id: laneId,
        job_seq: i + 2,
        event: { type: "repeat-finish", repeat: i === 0 ? 0 : i - 1, warmup: i === 0, metrics: metrics(ms) },
      }),
    ),
    {
      type: "lane-event",
      lane_id: laneId,
      job_seq: elapsed.length + 2,
      event: { type: "job-finish", status: "done", error: null },
    },
  ];
  const raceEvents: RaceEvent[] = [
    fixtureSetup(runId),
    { type: "race-start" },
    ...lane("l0", "a1", [50, 10, 20]),
    ...lane("l1", "a2", [60, 30, 40]),
    { type: "race-finish", status: "done" },
  ];
  return raceEvents.map((event, i) => ({ seq: i + 1, at: fixtureStart + 1000 + i * 10, event }));
}

export function foldEvents(events: readonly StoredEvent[], setup: RaceSetup): RaceState {
  return events.reduce(applyRaceEvent, createRaceState(setup));
}

/** The batch of the first `count` events (all by default) with the state after them. */
export function fixtureBatch(runId: string, count?: number): RunBatch {
  const events = fixtureEvents(runId).slice(0, count);
  const state = foldEvents(events, fixtureSetup(runId));
  const run = { status: state.status, started_at: state.started_at, finished_at: state.finished_at, seq: state.seq };
  return { run_id: runId, events, run, lanes: state.lanes.map(toLaneRecord) };
}

/** Stores the fixture run as the API would on creation (pending, no events yet). */
export function insertFixtureRun(db: Db, runId: string, createdAt = fixtureStart): void {
  const setup = fixtureSetup(runId, createdAt);
  insertRun(db, { run: setup.run, lanes: setup.lanes });
}
