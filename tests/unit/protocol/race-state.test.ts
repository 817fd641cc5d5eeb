import { describe, expect, it } from "vitest";
import { applyRaceEvent, createRaceState, type StoredEvent } from "../../../coordinator/protocol/race-state.ts";
import { finishedJob, provenance, raceSetup } from "../../helpers/race-fixture.ts";

function replay(events: StoredEvent["event"][]) {
  const setup = raceSetup(["a1"]);
  let state = createRaceState(setup);
  for (const [i, event] of [setup, ...events].entries()) {
    state = applyRaceEvent(state, { seq: i + 1, at: 1010 + 10 * i, event });
  }
  return state;
}

describe("applyRaceEvent", () => {
  it("folds a whole race into its finished state", () => {
    const state = replay([
      { type: "race-start" },
      ...finishedJob(168).map((event, i) => ({ type: "lane-event" as const, lane_id: "l0", job_seq: i + 1, event })),
      { type: "race-finish", status: "done" },
    ]);
    expect(state.status).toBe("done");
    expect(state.started_at).toBe(1020);
    expect(state.lanes[0]).toMatchObject({
      status: "done",
      start_skew_ms: 10,
      lines: ["half way"],
      current: null,
      results: [{ repeat: 0, warmup: false, metrics: { primes_found: 168 } }],
    });
  });

  it("ignores an event at or below the applied seq", () => {
    const state = replay([{ type: "race-start" }]);
    expect(applyRaceEvent(state, { seq: 2, at: 5, event: { type: "race-finish", status: "failed" } })).toBe(state);
  });

  it("ignores job events for a lane that already ended", () => {
    const state = replay([
      { type: "race-start" },
      { type: "lane-lost", lane_id: "l0", error: { code: "agent_lost", message: "gone" } },
      { type: "lane-event", lane_id: "l0", job_seq: 1, event: { type: "job-start", provenance } },
    ]);
    expect(state.lanes[0]?.status).toBe("lost");
    expect(state.lanes[0]?.provenance).toBeNull();
  });

  it("cancels every open lane on race-cancel, keeping where each stopped", () => {
    const [start, repeat, progress] = finishedJob(1);
    const state = replay([
      { type: "race-start" },
      ...[start!, repeat!, progress!].map((event, i) => ({
        type: "lane-event" as const,
        lane_id: "l0",
        job_seq: i + 1,
        event,
      })),
      { type: "race-cancel" },
    ]);
    expect(state.status).toBe("cancelled");
    expect(state.lanes[0]?.status).toBe("cancelled");
    expect(state.lanes[0]?.current?.fraction).toBe(0.5);
  });
});
