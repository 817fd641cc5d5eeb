import { describe, expect, it } from "vitest";
import { replayEvents } from "../../web/src/lib/replay-events.ts";
import { computeRaceEvents } from "./race-fixture.ts";

describe("replayEvents", () => {
  it("rebuilds the finished state from the stored events", () => {
    const events = computeRaceEvents([
      { name: "alpha", elapsed: [1200] },
      { name: "beta", elapsed: [900] },
    ]);
    const state = replayEvents(events);
    expect(state?.status).toBe("done");
    expect(state?.seq).toBe(events.length);
    expect(state?.lanes.map((lane) => lane.status)).toEqual(["done", "done"]);
    expect(state?.lanes[1]?.results[0]?.metrics.elapsed_ms).toBe(900);
    expect(state?.lanes[0]?.lines).toEqual(["alpha pass 0 half"]);
  });

  it("folds events in seq order even when they arrive shuffled", () => {
    const events = computeRaceEvents([{ name: "alpha", elapsed: [1000, 1100] }]);
    const state = replayEvents([...events].reverse());
    expect(state?.status).toBe("done");
    expect(state?.lanes[0]?.results).toHaveLength(2);
  });

  it("gives null when there is no race-setup", () => {
    const events = computeRaceEvents([{ name: "alpha", elapsed: [1000] }]).slice(1);
    expect(replayEvents(events)).toBeNull();
  });
});
