import { describe, expect, it } from "vitest";
import { createFakeConnection } from "../../helpers/fake-connection.ts";
import { createRaceFixture, finishedJob, runId } from "../../helpers/race-fixture.ts";

describe("race room", () => {
  it("starts the race and assigns each lane's job once every agent has joined", async () => {
    const race = createRaceFixture();
    expect((await race.open()).status).toBe(200);
    const a1 = await race.connectAgent("a1");
    expect(a1.ofType("job-assign")).toHaveLength(0);
    const a2 = await race.connectAgent("a2");
    expect(race.room.state()?.status).toBe("running");
    expect(a1.ofType("job-assign").map((m) => (m.job as { lane_id: string }).lane_id)).toEqual(["l0"]);
    expect(a2.ofType("job-assign").map((m) => (m.job as { lane_id: string }).lane_id)).toEqual(["l1"]);
  });

  it("applies job events in order, acknowledges them, and finishes the race", async () => {
    const race = createRaceFixture();
    await race.open();
    const a1 = await race.connectAgent("a1");
    const a2 = await race.connectAgent("a2");
    for (const [i, event] of finishedJob(168).entries()) await race.sendEvent(a1, "l0", i + 1, event);
    for (const [i, event] of finishedJob(168).entries()) await race.sendEvent(a2, "l1", i + 1, event);
    expect(a1.ofType("event-ack").at(-1)).toMatchObject({ seq: 5 });
    const state = race.room.state();
    expect(state?.status).toBe("done");
    expect(state?.lanes.map((l) => l.results[0]?.metrics.primes_found)).toEqual([168, 168]);
    expect(state?.lanes[0]?.start_skew_ms).toBe(0);
    await race.room.flushed();
    const seqs = race.storedEvents().map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(race.storedEvents().at(-1)?.event).toEqual({ type: "race-finish", status: "done" });
    expect(race.batches.at(-1)?.run.status).toBe("done");
  });

  it("drops an event whose seq was already applied", async () => {
    const race = createRaceFixture();
    await race.open();
    const a1 = await race.connectAgent("a1");
    await race.connectAgent("a2");
    const [start, repeat] = finishedJob(168);
    await race.sendEvent(a1, "l0", 1, start!);
    await race.sendEvent(a1, "l0", 2, repeat!);
    const before = race.room.state();
    await race.sendEvent(a1, "l0", 2, repeat!);
    await race.sendEvent(a1, "l0", 1, start!);
    expect(race.room.state()).toBe(before);
    // acks are cumulative, one per tick; a duplicate is answered at once with where the room stands
    expect(a1.ofType("event-ack").map((m) => m.seq)).toEqual([2, 2]);
    race.clock.advance(50);
    await race.room.flushed();
    expect(a1.ofType("event-ack").map((m) => m.seq)).toEqual([2, 2]);
  });

  it("holds events that arrive ahead of a gap, asks for a resend, and applies them in order", async () => {
    const race = createRaceFixture();
    await race.open();
    const a1 = await race.connectAgent("a1");
    await race.connectAgent("a2");
    const events = finishedJob(25);
    await race.sendEvent(a1, "l0", 1, events[0]!);
    await race.sendEvent(a1, "l0", 3, events[2]!);
    await race.sendEvent(a1, "l0", 4, events[3]!);
    expect(a1.ofType("event-resend")).toEqual([{ type: "event-resend", job_id: `${runId}/l0`, from_seq: 2 }]);
    expect(race.room.state()?.lanes[0]?.results).toEqual([]);
    await race.sendEvent(a1, "l0", 2, events[1]!);
    const lane = race.room.state()?.lanes[0];
    expect(lane?.lines).toEqual(["half way"]);
    expect(lane?.results.map((r) => r.metrics.primes_found)).toEqual([25]);
    race.clock.advance(50);
    await race.room.flushed();
    expect(a1.ofType("event-ack").at(-1)).toMatchObject({ seq: 4 });
    await race.room.flushed();
    const laneSeqs = race.storedEvents().flatMap((e) => (e.event.type === "lane-event" ? [e.event.job_seq] : []));
    expect(laneSeqs).toEqual([1, 2, 3, 4]);
  });

  it("gives a spectator who joins late a snapshot, then deltas", async () => {
    const race = createRaceFixture();
    await race.open();
    const a1 = await race.connectAgent("a1");
    await race.connectAgent("a2");
    const events = finishedJob(168);
    await race.sendEvent(a1, "l0", 1, events[0]!);
    await race.sendEvent(a1, "l0", 2, events[1]!);
    await race.sendEvent(a1, "l0", 3, events[2]!);
    const viewer = createFakeConnection({ role: "viewer" });
    await race.room.onConnect(viewer);
    const snapshot = viewer.ofType("race-snapshot")[0] as { state: { seq: number; lanes: Array<{ lines: string[] }> } };
    expect(snapshot.state.lanes[0]?.lines).toEqual(["half way"]);
    await race.sendEvent(a1, "l0", 4, events[3]!);
    await race.sendEvent(a1, "l0", 5, events[4]!);
    expect(viewer.ofType("race-delta")).toEqual([]);
    race.clock.advance(50);
    const deltas = viewer.ofType("race-delta") as Array<{ events: Array<{ seq: number }> }>;
    // one frame for the tick, carrying both events
    expect(deltas.map((d) => d.events.map((e) => e.seq))).toEqual([[snapshot.state.seq + 1, snapshot.state.seq + 2]]);
  });

  it("sends each viewer one frame per tick however many events arrive, and acks each job once per tick", async () => {
    const race = createRaceFixture();
    await race.open();
    const a1 = await race.connectAgent("a1");
    await race.connectAgent("a2");
    const viewer = createFakeConnection({ role: "viewer" });
    await race.room.onConnect(viewer);
    await race.sendEvent(a1, "l0", 1, finishedJob(1)[0]!);
    await race.sendEvent(a1, "l0", 2, { type: "repeat-start", repeat: 0, warmup: false });
    for (let seq = 3; seq <= 42; seq++) {
      await race.sendEvent(a1, "l0", seq, {
        type: "job-text",
        repeat: 0,
        warmup: false,
        text: "ab",
        tokens: seq,
        t_ms: seq,
      });
    }
    race.clock.advance(50);
    await race.room.flushed();
    const frames = viewer.ofType("race-delta") as Array<{ events: unknown[] }>;
    expect(frames.map((f) => f.events.length)).toEqual([42]);
    expect(a1.ofType("event-ack").map((m) => m.seq)).toEqual([42]);
    expect(race.room.state()?.lanes[0]?.text).toBe("ab".repeat(40));
  });

  it("forwards live figures of a running lane in the next frame, and leaves them out for a slow viewer", async () => {
    const race = createRaceFixture();
    await race.open();
    const a1 = await race.connectAgent("a1");
    await race.connectAgent("a2");
    const viewer = createFakeConnection({ role: "viewer" });
    const slow = { ...createFakeConnection({ role: "viewer" }), bufferedBytes: () => 10 * 1024 * 1024 };
    slow.send = (data: string) => void slow.sent.push(JSON.parse(data));
    await race.room.onConnect(viewer);
    await race.room.onConnect(slow);
    const live = (stats: Record<string, number>) =>
      race.room.onMessage(
        a1,
        JSON.stringify({ type: "job-live", job_id: `${runId}/l0`, repeat: 0, warmup: false, stats }),
      );
    await live({ tokens: 1 });
    race.clock.advance(50);
    expect(viewer.ofType("race-delta")).toEqual([]);
    await race.sendEvent(a1, "l0", 1, finishedJob(1)[0]!);
    await live({ tokens: 5 });
    await live({ tokens: 9 });
    race.clock.advance(50);
    const [frame] = viewer.ofType("race-delta") as Array<{ events: unknown[]; live: unknown[] }>;
    expect(frame?.events).toHaveLength(1);
    expect(frame?.live).toEqual([{ lane_id: "l0", repeat: 0, warmup: false, stats: { tokens: 9 } }]);
    const [slowFrame] = slow.ofType("race-delta");
    expect(slowFrame).toEqual({ type: "race-delta", events: frame?.events });
  });

  it("writes to the sink only the lanes whose stored fields changed, never their streamed text", async () => {
    const race = createRaceFixture();
    await race.open();
    const a1 = await race.connectAgent("a1");
    await race.connectAgent("a2");
    await race.room.flushed();
    const before = race.batches.length;
    await race.sendEvent(a1, "l0", 1, finishedJob(1)[0]!);
    await race.sendEvent(a1, "l0", 2, { type: "repeat-start", repeat: 0, warmup: false });
    await race.room.flushed();
    await race.sendEvent(a1, "l0", 3, {
      type: "job-text",
      repeat: 0,
      warmup: false,
      text: "hello",
      tokens: 1,
      t_ms: 5,
    });
    await race.room.flushed();
    const [started, texted] = race.batches.slice(before);
    expect(started?.lanes.map((l) => [l.lane_id, l.status])).toEqual([["l0", "running"]]);
    expect(texted?.lanes).toEqual([]);
    expect(texted?.events.map((e) => e.event.type)).toEqual(["lane-event"]);
    expect(JSON.stringify(race.batches)).not.toContain('"text":""');
  });

  it("answers malformed and unknown messages with an error and changes nothing", async () => {
    const race = createRaceFixture();
    await race.open();
    const a1 = await race.connectAgent("a1");
    await race.connectAgent("a2");
    const before = race.room.state();
    await race.room.onMessage(a1, "{not json");
    await race.room.onMessage(a1, JSON.stringify({ type: "launch-missiles" }));
    await race.room.onMessage(a1, JSON.stringify({ type: "job-event", job_id: `${runId}/l0`, seq: 0, event: {} }));
    await race.room.onMessage(
      a1,
      JSON.stringify({ type: "job-event", job_id: `${runId}/l1`, seq: 1, event: finishedJob(1)[0] }),
    );
    expect(a1.ofType("error").map((m) => m.code)).toEqual(["bad_json", "bad_message", "bad_message", "unknown_job"]);
    expect(race.room.state()).toBe(before);
  });

  it("refuses commands from spectators", async () => {
    const race = createRaceFixture();
    await race.open();
    const viewer = createFakeConnection({ role: "viewer" });
    await race.room.onConnect(viewer);
    await race.room.onMessage(
      viewer,
      JSON.stringify({ type: "job-event", job_id: `${runId}/l0`, seq: 1, event: finishedJob(1)[0] }),
    );
    expect(viewer.ofType("error")[0]).toMatchObject({ code: "bad_message" });
    expect(race.room.state()?.seq).toBe(1);
  });

  it("refuses an agent that has no lane in the race", async () => {
    const race = createRaceFixture();
    await race.open();
    const stranger = createFakeConnection({ role: "agent", agentId: "zz" });
    await race.room.onConnect(stranger);
    expect(stranger.ofType("error")[0]).toMatchObject({ code: "not_in_race" });
    expect(stranger.closed?.code).toBe(4003);
  });

  it("marks lanes lost when their agent never joins, and races the others", async () => {
    const race = createRaceFixture();
    await race.open();
    const a1 = await race.connectAgent("a1");
    race.clock.advance(30_000);
    await race.room.flushed();
    const state = race.room.state();
    expect(state?.status).toBe("running");
    expect(state?.lanes[1]).toMatchObject({ status: "lost", error: { code: "agent_absent" } });
    expect(a1.ofType("job-assign")).toHaveLength(1);
  });

  it("marks a lane lost when its agent disconnects and does not come back", async () => {
    const race = createRaceFixture(["a1"]);
    await race.open();
    const a1 = await race.connectAgent("a1");
    await race.sendEvent(a1, "l0", 1, finishedJob(1)[0]!);
    await race.room.onClose(a1);
    race.clock.advance(60_000);
    await race.room.flushed();
    expect(race.room.state()?.lanes[0]?.status).toBe("lost");
    expect(race.room.state()?.status).toBe("failed");
  });

  it("re-assigns the job with the acknowledged seq when an agent reconnects", async () => {
    const race = createRaceFixture(["a1"]);
    await race.open();
    const a1 = await race.connectAgent("a1");
    await race.sendEvent(a1, "l0", 1, finishedJob(1)[0]!);
    await race.room.onClose(a1);
    const again = await race.connectAgent("a1");
    race.clock.advance(60_000);
    await race.room.flushed();
    expect(again.ofType("job-assign")[0]).toMatchObject({ acked_seq: 1 });
    expect(race.room.state()?.lanes[0]?.status).toBe("running");
  });

  it("cancels a live race: agents are told and every open lane ends cancelled", async () => {
    const race = createRaceFixture();
    await race.open();
    const a1 = await race.connectAgent("a1");
    await race.connectAgent("a2");
    const reply = await race.room.onControl({ type: "race-cancel" });
    expect(reply.status).toBe(200);
    expect(a1.ofType("job-cancel")).toEqual([{ type: "job-cancel", job_id: `${runId}/l0` }]);
    expect(race.room.state()?.status).toBe("cancelled");
    expect(race.room.state()?.lanes.map((l) => l.status)).toEqual(["cancelled", "cancelled"]);
    expect((await race.room.onControl({ type: "race-cancel" })).status).toBe(409);
  });

  it("tells an agent that joins a finished race to stop its jobs and leave", async () => {
    const race = createRaceFixture(["a1"]);
    await race.open();
    const a1 = await race.connectAgent("a1");
    for (const [i, event] of finishedJob(1).entries()) await race.sendEvent(a1, "l0", i + 1, event);
    const late = await race.connectAgent("a1");
    expect(late.sent.map((m) => (m.type === "error" ? m.code : m.type))).toEqual(["job-cancel", "race_over"]);
  });

  it("tells an agent whose lanes all ended, in a race still running, that nothing is left for it", async () => {
    const race = createRaceFixture();
    await race.open();
    const a1 = await race.connectAgent("a1");
    await race.connectAgent("a2");
    for (const [i, event] of finishedJob(1).entries()) await race.sendEvent(a1, "l0", i + 1, event);
    const again = await race.connectAgent("a1");
    expect(race.room.state()?.status).toBe("running");
    expect(again.sent.map((m) => (m.type === "error" ? m.code : m.type))).toEqual(["job-cancel", "race_over"]);
  });

  it("tells an agent that comes back after its lane was lost to stop that job", async () => {
    const race = createRaceFixture(["a1", "a2"]);
    await race.open();
    const a1 = await race.connectAgent("a1");
    await race.connectAgent("a2");
    await race.sendEvent(a1, "l0", 1, finishedJob(1)[0]!);
    await race.room.onClose(a1);
    race.clock.advance(60_000);
    const back = await race.connectAgent("a1");
    await race.sendEvent(back, "l0", 2, finishedJob(1)[1]!);
    expect(race.room.state()?.lanes[0]?.status).toBe("lost");
    expect(back.ofType("job-cancel")).toEqual([
      { type: "job-cancel", job_id: `${runId}/l0` },
      { type: "job-cancel", job_id: `${runId}/l0` },
    ]);
  });

  it("stays busy while its sink has not taken every event", async () => {
    const race = createRaceFixture();
    race.sink.down = true;
    await race.open();
    await race.room.onControl({ type: "race-cancel" });
    await race.room.flushed();
    expect(race.room.isIdle()).toBe(false);
    race.sink.down = false;
    race.clock.advance(2_000);
    await race.room.flushed();
    expect(race.storedEvents().map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(race.room.isIdle()).toBe(true);
  });

  it("refuses to open the same race twice", async () => {
    const race = createRaceFixture();
    await race.open();
    expect((await race.open()).status).toBe(409);
  });
});
