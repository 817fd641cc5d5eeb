import { describe, expect, it, vi } from "vitest";
import type { LaneState } from "../../coordinator/protocol/race-state.ts";
import { LaneCard } from "../../web/src/components/lane-card.tsx";
import { describeLaneStart, describeStartSkew } from "../../web/src/lib/describe-lane-start.ts";
import { laneAheadOnMachine } from "../../web/src/lib/lane-waiting-turn.ts";
import { replayEvents } from "../../web/src/lib/replay-events.ts";
import { mount } from "./mount.tsx";
import { computeRaceEvents } from "./race-fixture.ts";

const mountCard = (lane: LaneState): HTMLElement => mount(() => <LaneCard lane={lane} repeats={1} warmup={0} />);

function finishedLane(): LaneState {
  const state = replayEvents(computeRaceEvents([{ name: "alpha", elapsed: [1234] }]));
  const lane = state?.lanes[0];
  if (!lane) throw new Error("fixture has no lane");
  return lane;
}

const text = (host: HTMLElement, testId: string) => host.querySelector(`[data-testid="${testId}"]`)?.textContent;

describe("LaneCard", () => {
  it("shows primes found, elapsed time and the verified mark of a finished lane", () => {
    const host = mountCard(finishedLane());
    const card = host.querySelector('[data-testid="lane-card"]');
    expect(card?.getAttribute("data-agent-name")).toBe("alpha");
    expect(text(host, "lane-status")).toBe("done");
    expect(text(host, "primes-found")).toBe("5,761,455");
    expect(text(host, "elapsed")).toBe("1.23 s");
    expect(text(host, "verified")).toContain("✓");
    expect(host.querySelector('[role="progressbar"]')?.getAttribute("aria-valuenow")).toBe("100");
  });

  it("says its figures are the last of several passes, while a single pass needs no caption", () => {
    expect(text(mountCard(finishedLane()), "last-pass-caption")).toBeUndefined();
    const lane = finishedLane();
    const result = lane.results[0];
    if (!result) throw new Error("fixture has no result");
    const passes = [
      { ...result, warmup: true },
      { ...result, repeat: 0 },
      { ...result, repeat: 1, metrics: { ...result.metrics, elapsed_ms: 2000 } },
    ];
    const host = mountCard({ ...lane, results: passes });
    expect(text(host, "last-pass-caption")).toBe("Last of 2 passes; the standings rank the median.");
    expect(text(host, "elapsed")).toBe("2.00 s");
  });

  it("marks a count that does not match", () => {
    const lane = finishedLane();
    const result = lane.results[0];
    if (!result) throw new Error("fixture has no result");
    const host = mountCard({ ...lane, results: [{ ...result, metrics: { ...result.metrics, verified: false } }] });
    expect(text(host, "verified")).toContain("✗");
  });

  it("shows progress and the latest lines of a running lane", () => {
    const lane: LaneState = {
      ...finishedLane(),
      status: "running",
      results: [],
      current: { repeat: 0, warmup: false, fraction: 0.42, line: "42% done" },
      lines: ["10% done", "42% done"],
      finished_at: null,
    };
    const host = mountCard(lane);
    expect(host.querySelector('[role="progressbar"]')?.getAttribute("aria-valuenow")).toBe("42");
    expect(text(host, "lane-log")).toContain("42% done");
    expect(host.querySelector('[data-testid="primes-found"]')).toBeNull();
  });

  it("shows the error of a lost lane", () => {
    const lane: LaneState = {
      ...finishedLane(),
      status: "lost",
      results: [],
      error: { code: "agent_lost", message: "alpha stopped answering." },
    };
    const host = mountCard(lane);
    expect(text(host, "lane-status")).toBe("lost");
    expect(text(host, "lane-error")).toBe("alpha stopped answering.");
  });

  it("says a pending lane waits for its turn while another lane runs on its machine", () => {
    const base = finishedLane();
    const running: LaneState = { ...base, lane_id: "first", status: "running", model: "llama3:8b", results: [] };
    const waiting: LaneState = { ...base, lane_id: "second", status: "pending", results: [] };
    const elsewhere: LaneState = { ...waiting, lane_id: "third", agent_id: "another-machine" };
    const lanes = [running, waiting, elsewhere];
    expect(laneAheadOnMachine(waiting, lanes)).toBe(running);
    expect(laneAheadOnMachine(elsewhere, lanes)).toBeNull();
    expect(laneAheadOnMachine(running, lanes)).toBeNull();
    expect(laneAheadOnMachine(waiting, [{ ...running, status: "done" }, waiting])).toBeNull();

    const host = mount(() => (
      <LaneCard lane={waiting} repeats={1} warmup={0} waitingFor={laneAheadOnMachine(waiting, lanes)} />
    ));
    expect(text(host, "lane-status")).toBe("pending");
    expect(text(host, "lane-waiting")).toBe("Waiting for its turn on this machine: llama3:8b is running there.");
    expect(text(mountCard(elsewhere), "lane-waiting")).toBeUndefined();
  });

  it("says how the lane started against the common start, what it ran after, and a late start", () => {
    const base = finishedLane();
    const first: LaneState = { ...base, lane_id: "first", model: "llama3:8b" };
    const second: LaneState = {
      ...base,
      lane_id: "second",
      start_skew_ms: 0.42,
      start_skew_uncertainty_ms: 1,
      ran_after: "first",
      start_note: "started late: not ready within 120 s",
    };
    expect(describeLaneStart(second, [first, second])).toEqual([
      "started +0.4 ms ± 1",
      "ran after llama3:8b on this machine",
      "started late: not ready within 120 s",
    ]);
    expect(describeStartSkew({ start_skew_ms: -2.25, start_skew_uncertainty_ms: null })).toBe(
      "started −2.3 ms (clock not measured)",
    );
    expect(describeLaneStart({ ...base, start_skew_ms: null, ran_after: null, start_note: null }, [])).toEqual([]);
    const host = mount(() => <LaneCard lane={second} lanes={[first, second]} repeats={1} warmup={0} place={2} />);
    expect(text(host, "lane-start")).toBe(
      "started +0.4 ms ± 1 · ran after llama3:8b on this machine · started late: not ready within 120 s",
    );
    expect(text(host, "lane-place")).toBe("2nd");
  });

  it("says which other race a pending lane's machine is busy with", () => {
    const waiting: LaneState = { ...finishedLane(), status: "pending", results: [] };
    const host = mount(() => <LaneCard lane={waiting} repeats={1} warmup={0} busyWith="race 3f2a9c1e (llm)" />);
    expect(text(host, "lane-waiting")).toBe("Waiting for race 3f2a9c1e (llm) on this machine.");
    expect(text(host, "lane-place")).toBeUndefined();
  });

  it("runs a running lane's clock from its start instant, on the replay's time for a ghost", () => {
    vi.useFakeTimers({ now: 1_000_000 });
    try {
      const running: LaneState = { ...finishedLane(), status: "running", start_at: 1_000_000 - 12_300, results: [] };
      expect(text(mountCard(running), "elapsed-clock")).toBe("12.3 s");
      const ghost = mount(() => <LaneCard lane={running} repeats={1} warmup={0} ghost clockShiftMs={10_000} />);
      expect(text(ghost, "elapsed-clock")).toBe("2.3 s");
      expect(text(mountCard(finishedLane()), "elapsed-clock")).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it("holds the progress bar at 0 until the lane's start instant, on the replay's time for a ghost", async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    try {
      const running: LaneState = {
        ...finishedLane(),
        status: "running",
        start_at: 1_000_500,
        results: [],
        current: { repeat: 0, warmup: false, fraction: 0.42, line: "42% done" },
      };
      const progress = (host: HTMLElement) => host.querySelector('[role="progressbar"]')?.getAttribute("aria-valuenow");
      const live = mountCard(running);
      const ghost = mount(() => <LaneCard lane={running} repeats={1} warmup={0} ghost clockShiftMs={10_000} />);
      expect(progress(live)).toBe("0");
      expect(live.querySelector(".progress-caption")?.textContent).toBe("0% · pass 1 of 1");
      await vi.advanceTimersByTimeAsync(499);
      expect(progress(live)).toBe("0");
      await vi.advanceTimersByTimeAsync(1);
      expect(progress(live)).toBe("42");
      expect(progress(ghost)).toBe("0");
      await vi.advanceTimersByTimeAsync(10_000);
      expect(progress(ghost)).toBe("42");
    } finally {
      vi.useRealTimers();
    }
  });
});
