import { describe, expect, it } from "vitest";
import type { WorkloadEvent } from "../../../agent/backends/backend.ts";
import type { FinishedImage, ImageUploaded } from "../../../agent/runner.ts";
import type { JobEvent, JobSpec } from "../../../coordinator/protocol/job.ts";
import { runJob } from "../../helpers/run-job.ts";
import { type Step, scriptedBackend } from "../../helpers/scripted-backend.ts";

const png = (tag: number) => new Uint8Array([0x89, 0x50, 0x4e, 0x47, tag]);
const image = (index: number, seed: number): WorkloadEvent => ({
  type: "image",
  index,
  seed,
  media_type: "image/png",
  bytes: png(index),
  width: 512,
  height: 512,
});
const steps = (index: number, each: number): Step[] =>
  [1, 2, 3, 4, 5].flatMap((value) => [
    { advance: each },
    { type: "image-step", index, value, max: 5 } as WorkloadEvent,
  ]);

/** Two images: queued 30 ms then 10 ms, 5 steps 20 ms apart, then 15 ms to the finished output. */
const pass: Step[] = [
  { type: "begin" },
  { type: "image-submit", index: 0, seed: 7 },
  { advance: 30 },
  { type: "image-start", index: 0 },
  ...steps(0, 20),
  { advance: 15 },
  image(0, 7),
  { advance: 5 },
  { type: "image-submit", index: 1, seed: 8 },
  { advance: 10 },
  { type: "image-start", index: 1 },
  ...steps(1, 20),
  { advance: 15 },
  image(1, 8),
  { type: "result", metrics: { engine: "comfyui", checkpoint: "sd.safetensors", steps: 5, width: 512, height: 512 } },
];

const job: JobSpec = {
  job_id: "r/l0",
  run_id: "r",
  lane_id: "l0",
  workload: "image",
  backend: "comfyui",
  model: "sd.safetensors",
  params: {},
  repeats: 1,
  warmup: 0,
};

function run(upload: (image: FinishedImage) => Promise<ImageUploaded>): Promise<JobEvent[]> {
  const clock = { t: 0 };
  const backend = scriptedBackend(clock, [pass], { kind: "comfyui", engine: "comfyui" });
  return runJob(backend, clock, job, { image: (_pass, finished) => upload(finished) });
}

describe("the runner on an image pass", () => {
  it("times every image of the batch on its own clock and references the uploaded images", async () => {
    const uploaded: number[] = [];
    const events = await run(async (finished) => {
      uploaded.push(finished.index);
      return { ok: true, sha256: String(finished.index).repeat(64) };
    });
    const finish = events.find((e) => e.type === "repeat-finish");
    expect(uploaded).toEqual([0, 1]);
    expect(finish?.type === "repeat-finish" && finish.metrics).toMatchObject({
      engine: "comfyui",
      images: 2,
      queue_ms: 40,
      // each image: 5 steps x 20 ms + 15 ms from its execution start
      seconds_per_image: 0.115,
      // 4 steps between the first and last progress over 80 ms, for both images
      it_per_s: 50,
      total_ms: 30 + 115 + 5 + 10 + 115,
    });
    expect(finish?.type === "repeat-finish" && finish.images).toEqual([
      { sha256: "0".repeat(64), media_type: "image/png", width: 512, height: 512, index: 0, seed: 7, gen_ms: 115 },
      { sha256: "1".repeat(64), media_type: "image/png", width: 512, height: 512, index: 1, seed: 8, gen_ms: 115 },
    ]);
    expect(events.at(-1)).toEqual({ type: "job-finish", status: "done", error: null });
  });

  it("fails the pass when an image cannot be stored, saying why", async () => {
    const events = await run(async () => ({ ok: false, message: "the coordinator refused it (HTTP 403)" }));
    expect(events.map((e) => e.type)).not.toContain("repeat-finish");
    expect(events.at(-1)).toEqual({
      type: "job-finish",
      status: "failed",
      error: { code: "agent_error", message: "Image 1 could not be stored: the coordinator refused it (HTTP 403)" },
    });
  });
});
