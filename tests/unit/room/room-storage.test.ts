import { describe, expect, it } from "vitest";
import type { RunBatch } from "../../../coordinator/protocol/api.ts";
import { silentLogger } from "../../../coordinator/protocol/logger.ts";
import { createMemoryStorage } from "../../../coordinator/room/memory-storage.ts";
import type { RoomStorage } from "../../../coordinator/room/ports.ts";
import { createRaceRoom } from "../../../coordinator/room/race-room.ts";
import { createFakeClock, type FakeClock } from "../../helpers/fake-clock.ts";
import { createFakeConnection, type FakeConnection } from "../../helpers/fake-connection.ts";
import { finishedJob, raceSetup, runId } from "../../helpers/race-fixture.ts";

/** A race room on `storage` whose sink fails while `sinkDown.value` is true. */
function roomOn(storage: RoomStorage, clock: FakeClock, sinkDown = { value: false }) {
  const batches: RunBatch[] = [];
  const room = createRaceRoom({
    roomId: runId,
    clock,
    storage,
    log: silentLogger,
    sink: {
      write: async (batch) => {
        if (sinkDown.value) throw new Error("the API answered 503");
        batches.push(batch);
      },
    },
  });
  const join = async (agentId: string): Promise<FakeConnection> => {
    const conn = createFakeConnection({ role: "agent", agentId });
    await room.onConnect(conn);
    await room.onMessage(conn, JSON.stringify({ type: "agent-join", agent_id: agentId }));
    return conn;
  };
  const send = (conn: FakeConnection, laneId: string, seq: number, event: unknown) =>
    room.onMessage(conn, JSON.stringify({ type: "job-event", job_id: `${runId}/${laneId}`, seq, event }));
  return { room, batches, join, send };
}

describe("race room storage", () => {
  it("resumes a live race in a new room on the same storage: same state, each job's seq, unstored events written", async () => {
    const storage = createMemoryStorage();
    const clock = createFakeClock();
    const sinkDown = { value: false };
    const first = roomOn(storage, clock, sinkDown);
    await first.room.onControl({ type: "race-open", setup: raceSetup() });
    const a1 = await first.join("a1");
    await first.join("a2");
    const [start, pass, ...rest] = finishedJob(168);
    await first.send(a1, "l0", 1, start);
    await first.room.flushed();
    sinkDown.value = true;
    await first.send(a1, "l0", 2, pass);
    await first.room.flushed();
    const before = first.room.state();
    first.room.dispose();

    const second = roomOn(storage, clock);
    await second.room.restore();
    expect(second.room.state()).toEqual(before);
    // the events the first room could not store reach the sink from the second
    await second.room.flushed();
    expect(second.batches.flatMap((b) => b.events).map((e) => e.seq)).toEqual([before?.seq]);
    // the agent comes back and resends from its last acknowledged seq: the room asks for nothing twice
    const back = await second.join("a1");
    expect(back.ofType("job-assign").find((m) => (m.job as { lane_id: string }).lane_id === "l0")).toMatchObject({
      acked_seq: 2,
    });
    const seqBefore = second.room.state()?.seq;
    await second.send(back, "l0", 2, pass);
    expect(second.room.state()?.seq).toBe(seqBefore);
    for (const [i, event] of rest.entries()) await second.send(back, "l0", i + 3, event);
    expect(second.room.state()?.lanes[0]?.status).toBe("done");
  });

  it("ends a restored race's lanes lost when their agent does not come back", async () => {
    const storage = createMemoryStorage();
    const clock = createFakeClock();
    const first = roomOn(storage, clock);
    await first.room.onControl({ type: "race-open", setup: raceSetup() });
    await first.join("a1");
    await first.join("a2");
    first.room.dispose();
    const second = roomOn(storage, clock);
    await second.room.restore();
    expect(second.room.state()?.status).toBe("running");
    clock.advance(60_000);
    await second.room.flushed();
    expect(second.room.state()?.lanes.map((lane) => lane.status)).toEqual(["lost", "lost"]);
    expect(second.room.state()?.status).toBe("failed");
  });

  it("empties the storage once a finished race is stored", async () => {
    const storage = createMemoryStorage();
    const clock = createFakeClock();
    const race = roomOn(storage, clock);
    await race.room.onControl({ type: "race-open", setup: raceSetup(["a1"]) });
    const a1 = await race.join("a1");
    for (const [i, event] of finishedJob(168).entries()) await race.send(a1, "l0", i + 1, event);
    await race.room.flushed();
    expect(race.room.state()?.status).toBe("done");
    expect((await storage.list("")).size).toBe(0);
  });

  it("backs off while the sink fails, doubling from 2 s, and writes everything once it answers", async () => {
    const clock = createFakeClock();
    const sinkDown = { value: true };
    const tries: number[] = [];
    const batches: RunBatch[] = [];
    const room = createRaceRoom({
      roomId: runId,
      clock,
      log: silentLogger,
      sink: {
        write: async (batch) => {
          tries.push(clock.now());
          if (sinkDown.value) throw new Error("the API answered 503");
          batches.push(batch);
        },
      },
    });
    await room.onControl({ type: "race-open", setup: raceSetup() });
    const startedAt = clock.now();
    // time moves in 100 ms steps, each followed by the room's queued work
    const run = async (ms: number) => {
      for (let t = 0; t < ms; t += 100) {
        clock.advance(100);
        await new Promise((done) => setImmediate(done));
      }
    };
    await run(15_000);
    expect(tries.map((at) => at - startedAt)).toEqual([100, 2_100, 6_100, 14_100]);
    sinkDown.value = false;
    await run(17_000);
    // every event once, in order, beginning with the setup the failing sink never took
    const written = batches.flatMap((b) => b.events);
    expect(written[0]?.event.type).toBe("race-setup");
    expect(written.map((e) => e.seq)).toEqual(written.map((_, i) => i + 1));
  });
});
