import { createSignal } from "solid-js";
import { describe, expect, it } from "vitest";
import type { Provenance } from "../../coordinator/protocol/job.ts";
import type { LaneLive } from "../../coordinator/protocol/messages.ts";
import type { LaneState, RaceEvent } from "../../coordinator/protocol/race-state.ts";
import { LaneCard } from "../../web/src/components/lane-card.tsx";
import { parseImageForm } from "../../web/src/lib/image-form.ts";
import { replayEvents } from "../../web/src/lib/replay-events.ts";
import { mount } from "./mount.tsx";

const params = { prompt: "a lighthouse", steps: 4, width: 512, height: 768, seed: 7, images: 2 };
const provenance: Provenance = {
  agent_version: "0.1.0",
  os: "linux",
  hardware_id: "hw",
  engine: "comfyui",
  engine_version: "0.3.40",
  model_digest: null,
  remote_engine: false,
  engine_host: "127.0.0.1:8188",
  params,
};
const sha = (c: string) => c.repeat(64);
const laneEvent = (event: Extract<RaceEvent, { type: "lane-event" }>["event"]): RaceEvent => ({
  type: "lane-event",
  lane_id: "lane-a",
  job_seq: 1,
  event,
});
const events: RaceEvent[] = [
  {
    type: "race-setup",
    run: { id: "run-img", workload: "image", params, repeats: 1, warmup: 0, created_at: 1 },
    lanes: [
      {
        lane_id: "lane-a",
        index: 0,
        agent_id: "a",
        agent_name: "gpu-a",
        backend: "comfyui",
        model: "sd.safetensors",
        params,
      },
    ],
  },
  { type: "race-start" },
  laneEvent({ type: "job-start", provenance }),
  laneEvent({ type: "repeat-start", repeat: 0, warmup: false }),
  laneEvent({
    type: "repeat-finish",
    repeat: 0,
    warmup: false,
    metrics: { engine: "comfyui", images: 2, seconds_per_image: 1.25, it_per_s: 3.2, queue_ms: 12, total_ms: 2600 },
    images: [
      { sha256: sha("a"), media_type: "image/png", width: 512, height: 768, index: 0, seed: 7, gen_ms: 1200 },
      { sha256: sha("b"), media_type: "image/png", width: 512, height: 768, index: 1, seed: 8, gen_ms: 1300 },
    ],
  }),
];
const laneAt = (count: number): LaneState => {
  const lane = replayEvents(events.slice(0, count).map((event, i) => ({ seq: i + 1, at: 100 + i, event })))?.lanes[0];
  if (!lane) throw new Error("fixture has no lane");
  return lane;
};

describe("LaneCard for an image lane", () => {
  it("shows step progress and the live preview, then the timings and thumbnails that open full size", () => {
    const [lane, setLane] = createSignal(laneAt(4));
    const [live, setLive] = createSignal<LaneLive | null>({
      lane_id: "lane-a",
      repeat: 0,
      warmup: false,
      stats: { image: 1, step: 2, steps: 4, it_per_s: 3.5, images_done: 0 },
    });
    const host = mount(() => (
      <LaneCard
        lane={lane()}
        live={live()}
        preview={live() ? "blob:preview-1" : null}
        runId="run-img"
        repeats={1}
        warmup={0}
      />
    ));
    expect(host.querySelector('[data-testid="image-progress"]')?.textContent).toContain(
      "image 1 · step 2/4 · 3.5 it/s",
    );
    expect(host.querySelector('[role="progressbar"]')?.getAttribute("aria-valuenow")).toBe("50");
    expect(host.querySelector('[data-testid="image-preview"]')?.getAttribute("src")).toBe("blob:preview-1");

    setLive(null);
    setLane(laneAt(5));
    expect(host.querySelector('[data-testid="image-preview"]')).toBeNull();
    expect(host.querySelector('[data-testid="seconds-per-image"]')?.textContent).toBe("1.25");
    const links = [...host.querySelectorAll('[data-testid="image-thumbs"] a')].map((a) => a.getAttribute("href"));
    expect(links).toEqual([`/api/runs/run-img/images/${sha("a")}`, `/api/runs/run-img/images/${sha("b")}`]);
    expect(host.querySelector('[data-testid="image-thumbs"] img')?.getAttribute("height")).toBe("144");
  });
});

describe("parseImageForm", () => {
  const fields = {
    agents: ["a", "b"],
    checkpoint: "sd.safetensors",
    prompt: "a lighthouse",
    negativePrompt: "",
    steps: "30",
    width: "768",
    height: "512",
    seed: "",
    sampler: "euler",
    scheduler: "karras",
    cfg: "6.5",
    images: "2",
    repeats: "2",
    warmup: "1",
  };

  it("builds a comfyui race on one checkpoint, an empty seed meaning random", () => {
    const result = parseImageForm(fields);
    expect(result.ok && result.body).toMatchObject({
      workload: "image",
      agents: ["a", "b"],
      backend: "comfyui",
      model: "sd.safetensors",
      params: { steps: 30, width: 768, height: 512, seed: "random", scheduler: "karras", cfg: 6.5, images: 2 },
      repeats: 2,
      warmup: 1,
    });
  });

  it("names each field that is out of bounds, in the schema's words", () => {
    const result = parseImageForm({ ...fields, steps: "0", images: "99", prompt: "" });
    expect(!result.ok && "fields" in result && result.fields).toEqual({
      prompt: "prompt must not be empty",
      steps: "steps must be at least 1",
      images: "images must be at most 16",
    });
  });
});
