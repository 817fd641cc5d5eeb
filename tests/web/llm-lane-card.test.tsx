import { createSignal } from "solid-js";
import { describe, expect, it } from "vitest";
import type { LaneLive } from "../../coordinator/protocol/messages.ts";
import type { LaneState } from "../../coordinator/protocol/race-state.ts";
import { LaneCard } from "../../web/src/components/lane-card.tsx";
import { replayEvents } from "../../web/src/lib/replay-events.ts";
import { llmRaceEvents } from "./llm-race-fixture.ts";
import { mount } from "./mount.tsx";

const events = llmRaceEvents([{ name: "gamma", rates: [40] }]);
/** The lane after the first `count` events: 6 is mid-pass with two text chunks, 7 has the pass's result. */
function laneAt(count: number): LaneState {
  const lane = replayEvents(events.slice(0, count))?.lanes[0];
  if (!lane) throw new Error("fixture has no lane");
  return lane;
}

const text = (host: HTMLElement, testId: string) =>
  host.querySelector(`[data-testid="${testId}"]`)?.textContent ?? null;

describe("LaneCard for an llm lane", () => {
  it("streams the text with the live figures, then shows the result with wall and engine figures side by side", () => {
    const [lane, setLane] = createSignal(laneAt(5));
    const [live, setLive] = createSignal<LaneLive | null>({
      lane_id: "lane-gamma",
      repeat: 0,
      warmup: false,
      stats: { elapsed_ms: 210, ttft_ms: 180, tokens: 2, tokens_per_s: null },
    });
    const host = mount(() => <LaneCard lane={lane()} live={live()} repeats={1} warmup={0} />);
    expect(text(host, "lane-text")).toBe("The sky ");
    expect(text(host, "live-ttft")).toBe("180 ms");
    expect(text(host, "live-tokens")).toBe("2");
    expect(host.querySelector('[data-testid="live-rate"]')).toBeNull();
    expect(host.textContent).toContain("pass 1 of 1");

    setLane(laneAt(6));
    setLive({
      lane_id: "lane-gamma",
      repeat: 0,
      warmup: false,
      stats: { elapsed_ms: 250, ttft_ms: 180, tokens: 4, tokens_per_s: 42.5 },
    });
    expect(text(host, "lane-text")).toBe("The sky is blue.");
    expect(text(host, "live-rate")).toBe("42.5 tok/s");
    expect(text(host, "live-tokens")).toBe("4");
    expect(host.querySelector('[data-testid="llm-figures"]')).toBeNull();

    setLane(laneAt(7));
    setLive(null);
    expect(host.querySelector('[data-testid="lane-live"]')).toBeNull();
    expect(text(host, "lane-text")).toBe("The sky is blue.");
    expect(text(host, "wall-gen-rate")).toBe("40 tok/s");
    expect(text(host, "engine-gen-rate")).toBe("42 tok/s");
    expect(text(host, "wall-prompt-rate")).toBe("300 tok/s");
    expect(text(host, "engine-prompt-rate")).toBe("320 tok/s");
    expect(text(host, "ttft")).toBe("180 ms");
    expect(text(host, "gen-tokens")).toBe("128");
    expect(host.querySelector('[data-testid="fallback-note"]')).toBeNull();
  });

  it("clears the text when the next pass starts, keeping the last pass's result in view", () => {
    const twoPasses = llmRaceEvents([{ name: "gamma", rates: [40, 50] }]);
    const lane = replayEvents(twoPasses.slice(0, 8))?.lanes[0];
    if (!lane) throw new Error("fixture has no lane");
    expect(lane.current?.repeat).toBe(1);
    const host = mount(() => <LaneCard lane={lane} repeats={2} warmup={0} />);
    expect(text(host, "lane-text")).toBe("");
    expect(text(host, "wall-gen-rate")).toBe("40 tok/s");
    expect(host.textContent).toContain("pass 2 of 2");
  });

  it("shows a finished pass's output when the streamed text is gone, and says when the mock engine stood in", () => {
    const mock = llmRaceEvents([{ name: "mocky", rates: [900], mock: true }]);
    const lane = replayEvents(mock)?.lanes[0];
    if (!lane) throw new Error("fixture has no lane");
    const host = mount(() => <LaneCard lane={{ ...lane, text: "" }} repeats={1} warmup={0} />);
    expect(text(host, "lane-text")).toBe("The sky is blue.");
    expect(host.querySelector(".mock-tag")).not.toBeNull();
    expect(text(host, "fallback-note")).toBe(
      "Mock engine: not a measurement (Ollama at http://127.0.0.1:11434 is not reachable).",
    );
  });
});
