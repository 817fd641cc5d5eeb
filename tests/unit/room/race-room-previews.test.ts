import { describe, expect, it } from "vitest";
import { maxPreviewBytes } from "../../../coordinator/protocol/image.ts";
import { decodePreviewFrame, encodePreviewFrame } from "../../../coordinator/protocol/preview-frame.ts";
import { createFakeConnection } from "../../helpers/fake-connection.ts";
import { createRaceFixture, finishedJob, runId } from "../../helpers/race-fixture.ts";

const jpeg = (tag: number) => new Uint8Array([0xff, 0xd8, 0xff, tag]);
const preview = (id: string, tag: number, bytes = jpeg(tag)) =>
  encodePreviewFrame({ id, repeat: 0, warmup: false, index: 1, media_type: "image/jpeg", bytes });

async function runningRace() {
  const race = createRaceFixture();
  await race.open();
  const a1 = await race.connectAgent("a1");
  const a2 = await race.connectAgent("a2");
  const viewer = createFakeConnection({ role: "viewer" });
  const slow = { ...createFakeConnection({ role: "viewer" }), bufferedBytes: () => 10 * 1024 * 1024 };
  await race.room.onConnect(viewer);
  await race.room.onConnect(slow);
  await race.sendEvent(a1, "l0", 1, finishedJob(1)[0]!);
  return { race, a1, a2, viewer, slow };
}

describe("image previews through the race room", () => {
  it("relays the newest preview of a running lane per tick as bytes addressed to the lane, and none to a slow viewer", async () => {
    const { race, a1, viewer, slow } = await runningRace();
    await race.room.onMessage(a1, preview(`${runId}/l0`, 1));
    await race.room.onMessage(a1, preview(`${runId}/l0`, 2));
    race.clock.advance(50);
    expect(viewer.binary).toHaveLength(1);
    const decoded = decodePreviewFrame(viewer.binary[0] as Uint8Array);
    expect(decoded.ok && decoded.frame).toEqual({
      id: "l0",
      repeat: 0,
      warmup: false,
      index: 1,
      media_type: "image/jpeg",
      bytes: jpeg(2),
    });
    expect(slow.binary).toEqual([]);
    await race.room.flushed();
    expect(race.storedEvents().map((e) => e.event.type)).not.toContain("preview");
  });

  it("drops a preview for another agent's job or a lane not running, and refuses a malformed or oversized one", async () => {
    const { race, a1, a2, viewer } = await runningRace();
    await race.room.onMessage(a2, preview(`${runId}/l0`, 1));
    await race.room.onMessage(a2, preview(`${runId}/l1`, 1));
    await race.room.onMessage(a1, new Uint8Array([9, 9, 9, 9, 9, 9, 9, 9]));
    await race.room.onMessage(a1, preview(`${runId}/l0`, 1, new Uint8Array(maxPreviewBytes + 1)));
    race.clock.advance(50);
    expect(viewer.binary).toEqual([]);
    expect(a1.ofType("error").map((e) => e.message)).toEqual([
      "Binary message refused: a binary message that is not an image preview.",
      `Binary message refused: a preview over ${maxPreviewBytes} bytes.`,
    ]);
  });

  it("refuses binary messages from spectators", async () => {
    const { race, viewer } = await runningRace();
    await race.room.onMessage(viewer, preview(`${runId}/l0`, 1));
    expect(viewer.ofType("error")[0]?.code).toBe("bad_message");
  });
});
