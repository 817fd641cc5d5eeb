import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../coordinator/protocol/race-state.ts";
import { formatClock } from "../../web/src/lib/format.ts";
import { replayEvents } from "../../web/src/lib/replay-events.ts";
import { alignSpeeds, createSpeedRecorder } from "../../web/src/lib/speed-series.ts";
import { computeRaceEvents } from "./race-fixture.ts";

describe("speed series", () => {
  it("turns compute progress into numbers per second since the lane's start instant", () => {
    const base = computeRaceEvents([{ name: "alpha", elapsed: [2000] }]);
    const setup = base.find((stored) => stored.event.type === "race-setup");
    if (setup?.event.type !== "race-setup") throw new Error("fixture has no setup");
    const n = setup.event.run.params.n;
    expect(typeof n).toBe("number");
    const t0 = 1_000_000;
    let seq = 0;
    const at = (ms: number, event: StoredEvent["event"]): StoredEvent => ({ seq: ++seq, at: t0 + ms, event });
    const lane = "lane-alpha";
    const pass = { repeat: 0, warmup: false };
    const events: StoredEvent[] = [
      at(0, setup.event),
      at(0, { type: "race-start" }),
      at(0, { type: "lane-go", lane_id: lane, start_at: t0, clock: null, after_lane_id: null, note: null }),
      at(10, { type: "lane-event", lane_id: lane, job_seq: 1, event: { type: "repeat-start", ...pass } }),
      at(510, {
        type: "lane-event",
        lane_id: lane,
        job_seq: 2,
        event: { type: "job-progress", ...pass, fraction: 0.25, line: "" },
      }),
      at(600, {
        type: "lane-event",
        lane_id: lane,
        job_seq: 3,
        event: { type: "job-progress", ...pass, fraction: 0.3, line: "" },
      }),
      at(1010, {
        type: "lane-event",
        lane_id: lane,
        job_seq: 4,
        event: { type: "job-progress", ...pass, fraction: 0.75, line: "" },
      }),
    ];
    const recorder = createSpeedRecorder();
    replayEvents(events, recorder.record);
    const series = recorder.series();
    expect(series.unit).toBe("numbers/s");
    const total = n as number;
    expect(series.lanes).toEqual([{ lane_id: lane, x: [0.51, 1.01], y: [(0.25 * total) / 0.5, (0.5 * total) / 0.5] }]);
  });

  it("aligns lanes on one x axis with gaps where a lane has no point", () => {
    expect(
      alignSpeeds({
        unit: "tokens/s",
        lanes: [
          { lane_id: "a", x: [1, 2], y: [10, 20] },
          { lane_id: "b", x: [1.5], y: [7] },
        ],
      }),
    ).toEqual({
      x: [1, 1.5, 2],
      ys: [
        [10, null, 20],
        [null, 7, null],
      ],
    });
  });

  it("reads a race clock", () => {
    expect(formatClock(4230)).toBe("4.2 s");
    expect(formatClock(83_400)).toBe("1:23.4");
    expect(formatClock(3_723_000)).toBe("1:02:03");
  });
});
