import { describe, expect, it } from "vitest";
import type { JobEvent } from "../../../coordinator/protocol/job.ts";
import { viewerToRaceSchema } from "../../../coordinator/protocol/messages.ts";
import { maxHeldEventBytes } from "../../../coordinator/room/held-job-events.ts";
import { maxMessageBytes, parseMessage, utf8ByteLength } from "../../../coordinator/room/parse-message.ts";
import {
  maxViewerBufferedBytes,
  stuckViewerCloseCode,
  stuckViewerMs,
} from "../../../coordinator/room/viewer-broadcast.ts";
import { createFakeConnection } from "../../helpers/fake-connection.ts";
import { createRaceFixture, finishedJob, runId } from "../../helpers/race-fixture.ts";

/** A viewer whose socket reports `queued()` bytes not yet sent. */
function viewerWithQueue(queued: () => number) {
  const viewer = createFakeConnection({ role: "viewer" });
  viewer.bufferedBytes = queued;
  return viewer;
}

describe("room limits", () => {
  it("counts a message's size in UTF-8 bytes, not characters", () => {
    expect(utf8ByteLength("aé€😀")).toBe(Buffer.byteLength("aé€😀", "utf8"));
    expect(utf8ByteLength("\ud800x")).toBe(Buffer.byteLength("\ud800x", "utf8"));
    const raw = JSON.stringify({ type: "snapshot-request", note: "é".repeat(600_000) });
    expect(raw.length).toBeLessThan(maxMessageBytes);
    expect(parseMessage(viewerToRaceSchema, raw)).toEqual({
      ok: false,
      error: {
        type: "error",
        code: "too_large",
        message: `Message of ${Buffer.byteLength(raw, "utf8")} bytes refused: the limit is ${maxMessageBytes}.`,
      },
    });
  });

  it("holds out-of-order events of a job up to a byte bound, not a count", async () => {
    const race = createRaceFixture();
    await race.open();
    const a1 = await race.connectAgent("a1");
    await race.connectAgent("a2");
    const [start] = finishedJob(1);
    const text: JobEvent = {
      type: "job-text",
      repeat: 0,
      warmup: false,
      text: "x".repeat(16_000),
      tokens: null,
      t_ms: 1,
    };
    const perEvent = Buffer.byteLength(JSON.stringify(text), "utf8");
    const fits = Math.floor(maxHeldEventBytes / perEvent);
    await race.sendEvent(a1, "l0", 1, start!);
    // seq 2 goes missing; everything after it waits
    for (let seq = 3; seq <= fits + 40; seq++) await race.sendEvent(a1, "l0", seq, text);
    expect(a1.ofType("event-resend")).toEqual([{ type: "event-resend", job_id: `${runId}/l0`, from_seq: 2 }]);
    await race.sendEvent(a1, "l0", 2, { type: "repeat-start", repeat: 0, warmup: false });
    // seq 2 and the held events right after it are applied; those past the bound come with the resend
    expect(a1.ofType("event-ack").at(-1)).toEqual({ type: "event-ack", job_id: `${runId}/l0`, seq: 2 + fits });
    await race.room.flushed();
    const applied = race.storedEvents().flatMap((e) => (e.event.type === "lane-event" ? [e.event.job_seq] : []));
    expect(applied).toEqual(Array.from({ length: 2 + fits }, (_, i) => i + 1));
  });

  it("closes a spectator whose socket stays over the send-buffer limit, and keeps one that drains", async () => {
    const race = createRaceFixture();
    await race.open();
    const a1 = await race.connectAgent("a1");
    await race.connectAgent("a2");
    let stuckQueue = 0;
    let slowQueue = 0;
    const stuck = viewerWithQueue(() => stuckQueue);
    const slow = viewerWithQueue(() => slowQueue);
    await race.room.onConnect(stuck);
    await race.room.onConnect(slow);
    const events = finishedJob(5);
    stuckQueue = maxViewerBufferedBytes + 1;
    slowQueue = maxViewerBufferedBytes + 1;
    await race.sendEvent(a1, "l0", 1, events[0]!);
    race.clock.advance(50);
    expect(stuck.closed).toBeNull();
    expect(stuck.ofType("race-delta")).toHaveLength(1);
    slowQueue = 0;
    race.clock.advance(stuckViewerMs);
    await race.sendEvent(a1, "l0", 2, events[1]!);
    race.clock.advance(50);
    expect(stuck.closed).toEqual({
      code: stuckViewerCloseCode,
      reason: `too slow: over ${maxViewerBufferedBytes} bytes unread for ${stuckViewerMs / 1000} s`,
    });
    expect(stuck.ofType("race-delta")).toHaveLength(1);
    expect(slow.closed).toBeNull();
    expect(slow.ofType("race-delta")).toHaveLength(2);
    // a closed spectator gets nothing more
    await race.sendEvent(a1, "l0", 3, events[2]!);
    race.clock.advance(50);
    expect(stuck.ofType("race-delta")).toHaveLength(1);
    expect(slow.ofType("race-delta")).toHaveLength(3);
  });

  it("answers a spectator's snapshot requests at most once a second, refusing the rest", async () => {
    const race = createRaceFixture();
    await race.open();
    const viewer = createFakeConnection({ role: "viewer" });
    await race.room.onConnect(viewer);
    const ask = () => race.room.onMessage(viewer, JSON.stringify({ type: "snapshot-request" }));
    await ask();
    await ask();
    await ask();
    race.clock.advance(999);
    await ask();
    race.clock.advance(1);
    await ask();
    expect(viewer.sent.map((m) => (m.type === "error" ? m.code : m.type))).toEqual([
      "race-snapshot",
      "race-snapshot",
      "rate_limited",
      "rate_limited",
      "rate_limited",
      "race-snapshot",
    ]);
    expect(viewer.ofType("error")[0]?.message).toBe(
      "Snapshot refused: a spectator may ask for one every 1 s; ask again later.",
    );
    // another spectator has its own allowance
    const other = createFakeConnection({ role: "viewer" });
    await race.room.onConnect(other);
    await race.room.onMessage(other, JSON.stringify({ type: "snapshot-request" }));
    expect(other.ofType("race-snapshot")).toHaveLength(2);
  });

  it("does not keep a spectator of a room that holds no race", async () => {
    const race = createRaceFixture();
    const viewer = createFakeConnection({ role: "viewer" });
    await race.room.onConnect(viewer);
    expect(viewer.ofType("error").map((m) => m.code)).toEqual(["no_race"]);
    expect(viewer.closed).toEqual({ code: 4004, reason: "no race here" });
    await race.open();
    race.clock.advance(50);
    expect(viewer.ofType("race-delta")).toEqual([]);
  });
});
