import { describe, expect, it } from "vitest";
import type { RaceEvent } from "../../../coordinator/protocol/race-state.ts";
import { createRaceFixture, provenance, runId } from "../../helpers/race-fixture.ts";

const ready = { type: "job-ready", prepare_ms: 5 } as const;
const laneGos = (events: RaceEvent[]) => events.flatMap((e) => (e.type === "lane-go" ? [e] : []));

/**
 * An open race with agents a1 and a2 connected, each answering the clock check with its offset
 * (null: it never answers). `agents`: the agent of each lane.
 */
async function raceOfTwo(offsets: [number | null, number | null], agents?: string[]) {
  const race = createRaceFixture(agents);
  await race.open();
  const a1 = await race.connectAgent("a1");
  const a2 = await race.connectAgent("a2");
  if (offsets[0] !== null) await race.answerClock(a1, offsets[0]);
  if (offsets[1] !== null) await race.answerClock(a2, offsets[1]);
  return { race, a1, a2 };
}

describe("start gate", () => {
  it("starts every machine's lane at one instant once all are ready, on each agent's own clock", async () => {
    const { race, a1, a2 } = await raceOfTwo([1000, -250]);
    await race.sendEvent(a1, "l0", 1, ready);
    expect(a1.ofType("job-go")).toEqual([]);
    race.clock.advance(400);
    await race.sendEvent(a2, "l1", 1, ready);
    const now = race.clock.now();
    const gos = laneGos(await race.raceEvents());
    expect(gos.map((g) => g.lane_id)).toEqual(["l0", "l1"]);
    const startAt = gos[0]?.start_at ?? 0;
    expect(gos[1]?.start_at).toBe(startAt);
    expect(startAt).toBeGreaterThanOrEqual(now + 25);
    expect(a1.ofType("job-go")).toEqual([{ type: "job-go", job_id: `${runId}/l0`, start_at: startAt + 1000 }]);
    expect(a2.ofType("job-go")).toEqual([{ type: "job-go", job_id: `${runId}/l1`, start_at: startAt - 250 }]);
    expect(gos[0]?.clock).toMatchObject({ offset_ms: 1000, uncertainty_ms: 1, samples: 8 });
  });

  it("reports start skew as the agent's own stamp converted to room time, with its uncertainty", async () => {
    const { race, a1, a2 } = await raceOfTwo([1000, 0]);
    await race.sendEvent(a1, "l0", 1, ready);
    await race.sendEvent(a2, "l1", 1, ready);
    const goAt = (conn: typeof a1) => conn.ofType("job-go")[0]?.start_at as number;
    race.clock.advance(200);
    // a1 began 0.4 ms after its start, a2 3 ms after; both stamps reach the room much later
    await race.sendEvent(a1, "l0", 2, { type: "job-start", provenance, began_at: goAt(a1) + 0.4 });
    await race.sendEvent(a2, "l1", 2, { type: "job-start", provenance, began_at: goAt(a2) + 3 });
    const lanes = race.room.state()?.lanes;
    expect(lanes?.map((l) => l.start_skew_ms)).toEqual([0.4, 3]);
    expect(lanes?.map((l) => l.start_skew_uncertainty_ms)).toEqual([1, 1]);
    expect(lanes?.map((l) => l.clock_offset_ms)).toEqual([1000, 0]);
  });

  it("starts the ready lanes when one is not ready in time, marks the late one, and starts it once ready", async () => {
    const { race, a1, a2 } = await raceOfTwo([0, 0]);
    await race.sendEvent(a1, "l0", 1, ready);
    race.clock.advance(120_000);
    await race.room.flushed();
    expect(a1.ofType("job-go")).toHaveLength(1);
    expect(a2.ofType("job-go")).toHaveLength(0);
    expect(race.room.state()?.lanes[1]?.start_note).toMatch(/Not ready within 120 s/);
    race.clock.advance(10_000);
    await race.sendEvent(a2, "l1", 1, ready);
    expect(a2.ofType("job-go")).toHaveLength(1);
    const [first, late] = laneGos(await race.raceEvents());
    expect((late?.start_at ?? 0) - (first?.start_at ?? 0)).toBeGreaterThanOrEqual(10_000);
    expect(late?.note).toMatch(/not comparable/);
  });

  it("starts an agent that never answers the clock check on the room's word, and says so", async () => {
    const { race, a1, a2 } = await raceOfTwo([0, null]);
    await race.sendEvent(a1, "l0", 1, ready);
    await race.sendEvent(a2, "l1", 1, ready);
    expect(a1.ofType("job-go")).toHaveLength(0);
    race.clock.advance(1000);
    await race.room.flushed();
    expect(a2.ofType("job-go")).toEqual([{ type: "job-go", job_id: `${runId}/l1`, start_at: null }]);
    race.clock.advance(300);
    await race.sendEvent(a2, "l1", 2, { type: "job-start", provenance, began_at: 5 });
    const lane = race.room.state()?.lanes[1];
    expect(lane?.start_note).toMatch(/did not answer the clock check/);
    expect(lane?.start_skew_uncertainty_ms).toBeNull();
    expect(lane?.start_skew_ms).toBe(race.clock.now() - (lane?.start_at ?? 0));
  });

  it("runs a machine's lanes one after another, each from its own start, saying which ran first", async () => {
    const { race, a1, a2 } = await raceOfTwo([0, 0], ["a1", "a1", "a2"]);
    await race.sendEvent(a1, "l0", 1, ready);
    await race.sendEvent(a2, "l2", 1, ready);
    expect(laneGos(await race.raceEvents()).map((g) => g.lane_id)).toEqual(["l0", "l2"]);
    await race.sendEvent(a1, "l0", 2, { type: "job-start", provenance });
    await race.sendEvent(a1, "l0", 3, { type: "job-finish", status: "done", error: null });
    race.clock.advance(5000);
    await race.sendEvent(a1, "l1", 1, ready);
    const gos = laneGos(await race.raceEvents());
    expect(gos.map((g) => [g.lane_id, g.after_lane_id])).toEqual([
      ["l0", null],
      ["l2", null],
      ["l1", "l0"],
    ]);
    expect((gos[2]?.start_at ?? 0) - race.clock.now()).toBeGreaterThanOrEqual(25);
    expect(race.room.state()?.lanes[1]?.ran_after).toBe("l0");
  });
});
