/** A race room on a fake clock with two lanes and a recording sink, for room tests. */
import type { RunBatch } from "../../coordinator/protocol/api.ts";
import type { JobEvent } from "../../coordinator/protocol/job.ts";
import { silentLogger } from "../../coordinator/protocol/logger.ts";
import type { RaceSetup } from "../../coordinator/protocol/race-state.ts";
import type { RoomStorage } from "../../coordinator/room/ports.ts";
import { createRaceRoom } from "../../coordinator/room/race-room.ts";
import { createFakeClock, type FakeClock } from "./fake-clock.ts";
import { createFakeConnection, type FakeConnection } from "./fake-connection.ts";

export const runId = "run-abc";

export function raceSetup(agentIds: string[] = ["a1", "a2"]): RaceSetup {
  return {
    type: "race-setup",
    run: { id: runId, workload: "compute", params: { n: 1000 }, repeats: 1, warmup: 0, created_at: 1 },
    lanes: agentIds.map((agentId, index) => ({
      lane_id: `l${index}`,
      index,
      agent_id: agentId,
      agent_name: `machine-${agentId}`,
      backend: "compute",
      model: null,
      params: { algorithm: "segmented_sieve", n: 1000, progress_interval_s: 1 },
    })),
  };
}

/**
 * `agentIds`: the agent of each lane; `clock` and `storage`: shared with another fixture, as a room
 * that restarts on the same storage. The sink records when it is tried and fails while `sink.down`.
 */
export function createRaceFixture(
  agentIds?: string[],
  { clock = createFakeClock(), storage }: { clock?: FakeClock; storage?: RoomStorage } = {},
) {
  const batches: RunBatch[] = [];
  const sink = { down: false, tries: [] as number[] };
  const room = createRaceRoom({
    roomId: runId,
    clock,
    storage,
    log: silentLogger,
    sink: {
      write: async (batch) => {
        sink.tries.push(clock.now());
        if (sink.down) throw new Error("the API answered 503");
        batches.push(batch);
      },
    },
    joinTimeoutMs: 30_000,
    agentLostMs: 60_000,
  });
  const open = () => room.onControl({ type: "race-open", setup: raceSetup(agentIds) });
  const connectAgent = async (agentId: string): Promise<FakeConnection> => {
    const conn = createFakeConnection({ role: "agent", agentId });
    await room.onConnect(conn);
    await room.onMessage(conn, JSON.stringify({ type: "agent-join", agent_id: agentId }));
    return conn;
  };
  const sendEvent = (conn: FakeConnection, laneId: string, seq: number, event: JobEvent) =>
    room.onMessage(conn, JSON.stringify({ type: "job-event", job_id: `${runId}/${laneId}`, seq, event }));
  const storedEvents = () => batches.flatMap((batch) => batch.events);
  /** answers the room's clock pings as an agent whose clock is `offsetMs` ahead of the room's, until it stops asking */
  const answerClock = async (conn: FakeConnection, offsetMs: number) => {
    for (let answered = 0; conn.ofType("clock-ping").length > answered; answered++) {
      const ping = conn.ofType("clock-ping")[answered];
      const agentAt = clock.now() + offsetMs;
      await room.onMessage(conn, JSON.stringify({ type: "clock-pong", ping_id: ping?.ping_id, agent_at: agentAt }));
    }
  };
  /** every race event so far, once the room's sink has them */
  const raceEvents = async () => {
    await room.flushed();
    return storedEvents().map((stored) => stored.event);
  };
  return { clock, sink, batches, room, open, connectAgent, sendEvent, storedEvents, raceEvents, answerClock };
}

export const provenance = {
  agent_version: "0.1.0",
  os: "test os",
  hardware_id: "hw",
  engine: "bench-race-sieve",
  engine_version: "1",
  model_digest: null,
  remote_engine: false,
  engine_host: null,
  params: {},
};

/** The events of a one-pass job that finds `primes` primes. */
export function finishedJob(primes: number): JobEvent[] {
  return [
    { type: "job-start", provenance },
    { type: "repeat-start", repeat: 0, warmup: false },
    { type: "job-progress", repeat: 0, warmup: false, fraction: 0.5, line: "half way" },
    { type: "repeat-finish", repeat: 0, warmup: false, metrics: { primes_found: primes, elapsed_ms: 10 } },
    { type: "job-finish", status: "done", error: null },
  ];
}
