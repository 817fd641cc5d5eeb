import { describe, expect, it } from "vitest";
import type { JobEvent } from "../../../coordinator/protocol/job.ts";
import { createMemoryStorage } from "../../../coordinator/room/memory-storage.ts";
import { createFakeClock, passTime } from "../../helpers/fake-clock.ts";
import { createRaceFixture, finishedJob } from "../../helpers/race-fixture.ts";

describe("race room storage", () => {
  it("resumes a live race in a new room on the same storage: same state, each job's seq, unstored events written", async () => {
    const storage = createMemoryStorage();
    const clock = createFakeClock();
    const first = createRaceFixture(undefined, { storage, clock });
    await first.open();
    const a1 = await first.connectAgent("a1");
    await first.connectAgent("a2");
    const [start, pass, ...rest] = finishedJob(168) as [JobEvent, JobEvent, ...JobEvent[]];
    await first.sendEvent(a1, "l0", 1, start);
    await first.room.flushed();
    first.sink.down = true;
    await first.sendEvent(a1, "l0", 2, pass);
    await first.room.flushed();
    const before = first.room.state();
    first.room.dispose();

    const second = createRaceFixture(undefined, { storage, clock });
    await second.room.restore();
    expect(second.room.state()).toEqual(before);
    // the events the first room could not store reach the sink from the second
    await second.room.flushed();
    expect(second.storedEvents().map((e) => e.seq)).toEqual([before?.seq]);
    // the agent comes back and resends from its last acknowledged seq: the room asks for nothing twice
    const back = await second.connectAgent("a1");
    expect(back.ofType("job-assign").find((m) => (m.job as { lane_id: string }).lane_id === "l0")).toMatchObject({
      acked_seq: 2,
    });
    const seqBefore = second.room.state()?.seq;
    await second.sendEvent(back, "l0", 2, pass);
    expect(second.room.state()?.seq).toBe(seqBefore);
    for (const [i, event] of rest.entries()) await second.sendEvent(back, "l0", i + 3, event);
    expect(second.room.state()?.lanes[0]?.status).toBe("done");
  });

  it("ends a restored race's lanes lost when their agent does not come back", async () => {
    const storage = createMemoryStorage();
    const clock = createFakeClock();
    const first = createRaceFixture(undefined, { storage, clock });
    await first.open();
    await first.connectAgent("a1");
    await first.connectAgent("a2");
    first.room.dispose();
    const second = createRaceFixture(undefined, { storage, clock });
    await second.room.restore();
    expect(second.room.state()?.status).toBe("running");
    clock.advance(60_000);
    await second.room.flushed();
    expect(second.room.state()?.lanes.map((lane) => lane.status)).toEqual(["lost", "lost"]);
    expect(second.room.state()?.status).toBe("failed");
  });

  it("empties the storage once a finished race is stored", async () => {
    const storage = createMemoryStorage();
    const race = createRaceFixture(["a1"], { storage });
    await race.open();
    const a1 = await race.connectAgent("a1");
    for (const [i, event] of finishedJob(168).entries()) await race.sendEvent(a1, "l0", i + 1, event);
    await race.room.flushed();
    expect(race.room.state()?.status).toBe("done");
    expect((await storage.list("")).size).toBe(0);
  });

  it("backs off while the sink fails, doubling from 2 s, and writes everything once it answers", async () => {
    const race = createRaceFixture();
    race.sink.down = true;
    await race.open();
    const startedAt = race.clock.now();
    // time moves in 100 ms steps, each followed by the room's queued work
    await passTime(race.clock, 15_000);
    expect(race.sink.tries.map((at) => at - startedAt)).toEqual([100, 2_100, 6_100, 14_100]);
    race.sink.down = false;
    await passTime(race.clock, 17_000);
    // every event once, in order, beginning with the setup the failing sink never took
    const written = race.storedEvents();
    expect(written[0]?.event.type).toBe("race-setup");
    expect(written.map((e) => e.seq)).toEqual(written.map((_, i) => i + 1));
  });
});
