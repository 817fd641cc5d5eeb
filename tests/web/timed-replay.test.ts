import { describe, expect, it } from "vitest";
import type { StoredEvent } from "../../coordinator/protocol/race-state.ts";
import { raceStartOf, startTimedReplay } from "../../web/src/lib/timed-replay.ts";
import { computeRaceEvents } from "./race-fixture.ts";

/** A manual clock and timer queue: time moves only when the test says. */
function manualClock() {
  let time = 0;
  const timers: { at: number; run: () => void }[] = [];
  return {
    now: () => time,
    setTimer: (run: () => void, ms: number) => {
      const timer = { at: time + ms, run };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer: unknown) => {
      timers.splice(timers.indexOf(timer as (typeof timers)[number]), 1);
    },
    advance(ms: number) {
      time += ms;
      for (;;) {
        const due = timers.filter((timer) => timer.at <= time).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers.splice(timers.indexOf(due), 1);
        due.run();
      }
    },
    pending: () => timers.length,
  };
}

describe("timed replay", () => {
  it("folds each event when its time since the race start has passed, and stops", () => {
    const stored = computeRaceEvents([{ name: "alpha", elapsed: [1234] }]);
    const origin = raceStartOf(stored);
    if (origin === null) throw new Error("fixture has no events");
    const last = stored.at(-1) as StoredEvent;
    const clock = manualClock();
    const seen: number[] = [];
    const statuses: string[] = [];
    const stop = startTimedReplay({
      events: stored,
      startAt: 0,
      onState: (state, folded) => {
        seen.push(...folded.map((event) => event.seq));
        statuses.push(state.status);
      },
      ...clock,
    });
    const dueAtStart = stored.filter((event) => event.at <= origin).length;
    expect(seen).toHaveLength(dueAtStart);
    clock.advance(last.at - origin - 1);
    expect(seen.length).toBeLessThan(stored.length);
    clock.advance(1);
    expect(seen).toEqual(stored.map((event) => event.seq).sort((a, b) => a - b));
    expect(statuses.at(-1)).toBe("done");
    expect(clock.pending()).toBe(0);
    stop();
  });

  it("folds nothing more once stopped", () => {
    const stored = computeRaceEvents([{ name: "alpha", elapsed: [1234] }]);
    const clock = manualClock();
    let count = 0;
    const stop = startTimedReplay({
      events: stored,
      startAt: 0,
      onState: (_, folded) => (count += folded.length),
      ...clock,
    });
    const before = count;
    stop();
    clock.advance(1e9);
    expect(count).toBe(before);
  });
});
