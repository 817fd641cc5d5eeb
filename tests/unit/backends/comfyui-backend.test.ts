import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { BackendJob, PreparedJob, WorkloadEvent } from "../../../agent/backends/backend.ts";
import { checkedFile } from "../../../agent/backends/comfyui/comfyui-messages.ts";
import { createComfyUiBackend } from "../../../agent/backends/comfyui/create-comfyui-backend.ts";
import { sniffImageType } from "../../../coordinator/protocol/image.ts";
import { type ComfyUiStandIn, startComfyUiStandIn } from "../../helpers/comfyui-stand-in.ts";
import { createRefusingFetch } from "../../helpers/replay-fetch.ts";
import { collectPass, describeBackendContract } from "./backend-contract.ts";

let comfy: ComfyUiStandIn;
beforeAll(async () => {
  comfy = await startComfyUiStandIn();
});
afterAll(() => comfy.close());
beforeEach(() => {
  comfy.script = "success";
});

const signal = new AbortController().signal;
const job = (params: Record<string, unknown> = {}, model = "sd_xl_base_1.0.safetensors"): BackendJob => ({
  model,
  params: { prompt: "a lighthouse at dusk", steps: 4, ...params },
});

async function prepared(params: Record<string, unknown> = {}): Promise<PreparedJob> {
  const outcome = await createComfyUiBackend({ baseUrl: comfy.url, pollMs: 20 }).prepare(job(params), signal);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.job;
}
const errorOf = (events: WorkloadEvent[]) => {
  const last = events.at(-1);
  return last?.type === "error" ? last.error : null;
};

describeBackendContract("comfyui", () => ({
  streams: "image-step",
  complete: () => prepared(),
  stalled: async () => {
    comfy.script = "stall";
    return prepared();
  },
}));

describe("comfyui backend", () => {
  it("probes ComfyUI's version from /system_stats and the loader's checkpoints from /object_info", async () => {
    const probe = await createComfyUiBackend({ baseUrl: comfy.url }).probe(signal);
    expect(probe).toEqual({
      reachable: true,
      version: "0.3.40",
      models: [
        { name: "sd_xl_base_1.0.safetensors", size_bytes: null, digest: null },
        { name: "v1-5-pruned-emaonly.safetensors", size_bytes: null, digest: null },
      ],
    });
  });

  it("probes a ComfyUI that is not running as unreachable, naming the flag", async () => {
    const probe = await createComfyUiBackend({ baseUrl: "http://127.0.0.1:8188", fetch: createRefusingFetch() }).probe(
      signal,
    );
    expect(probe.reachable).toBe(false);
    expect(probe.error).toBe(
      "ComfyUI at http://127.0.0.1:8188 is not reachable (ECONNREFUSED). Start it (python main.py --listen) or pass --comfyui-url.",
    );
  });

  it("refuses an unknown checkpoint at prepare with missing_model and the checkpoints it has", async () => {
    const outcome = await createComfyUiBackend({ baseUrl: comfy.url }).prepare(job({}, "nope.safetensors"), signal);
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe("missing_model");
    expect(outcome.error.message).toContain(
      'no checkpoint "nope.safetensors" (it has: sd_xl_base_1.0.safetensors, v1-5-pruned-emaonly.safetensors)',
    );
  });

  it.each([
    [{ steps: 0 }, "steps: steps must be at least 1"],
    [{ steps: 100000 }, "steps: steps must be at most 150"],
    [{ width: 600 }, "width: width must be one of 512, 768, 1024 pixels"],
    [{ images: 1000 }, "images: images must be at most 16"],
  ])("refuses params %j as invalid_params (%s)", async (params, problem) => {
    const outcome = await createComfyUiBackend({ baseUrl: comfy.url }).prepare(job(params), signal);
    expect(outcome).toEqual({
      ok: false,
      error: { code: "invalid_params", message: `Invalid image params: ${problem}` },
    });
  });

  it("runs each image as its own prompt with seed + index, streaming steps and previews, then the PNG", async () => {
    const before = comfy.prompts.length;
    const events = await collectPass(await prepared({ images: 2, seed: 42, width: 768 }));
    const submitted = comfy.prompts.slice(before);
    expect(submitted.map((p) => p.workflow["3"]?.inputs.seed)).toEqual([42, 43]);
    expect(submitted[0]?.workflow["5"]?.inputs).toEqual({ width: 768, height: 512, batch_size: 1 });
    expect(new Set(submitted.map((p) => p.clientId)).size).toBe(1);
    const types = events.map((e) => e.type).filter((t) => t !== "image-preview");
    const perImage = ["image-start", "image-step", "image-step", "image-step", "image-step", "image", "progress"];
    expect(types).toEqual(["begin", "image-submit", ...perImage, "image-submit", ...perImage, "result"]);
    expect(events.filter((e) => e.type === "image-preview")).toHaveLength(8);
    const images = events.flatMap((e) => (e.type === "image" ? [e] : []));
    expect(images.map((i) => [i.index, i.seed, i.width, i.height, i.media_type])).toEqual([
      [0, 42, 768, 512, "image/png"],
      [1, 43, 768, 512, "image/png"],
    ]);
    expect(sniffImageType(images[0]?.bytes ?? new Uint8Array())).toBe("image/png");
    const result = events.at(-1);
    expect(result?.type === "result" && result.metrics).toMatchObject({
      engine: "comfyui",
      checkpoint: "sd_xl_base_1.0.safetensors",
      steps: 4,
      width: 768,
      height: 512,
      images: 2,
      seed: 42,
    });
  });

  it.each([
    ["error-oom", "out_of_memory", "Use a smaller width/height"],
    ["error-no-kernel", "unsupported_gpu", "Install a PyTorch build for this GPU"],
  ] as const)("classifies an execution_error (%s) as %s with a hint", async (script, code, hint) => {
    comfy.script = script;
    const events = await collectPass(await prepared());
    expect(errorOf(events)?.code).toBe(code);
    expect(errorOf(events)?.message).toContain(hint);
  });

  it("interrupts its own running prompt on cancel, and only that", async () => {
    comfy.script = "stall";
    const before = comfy.prompts.length;
    const events = await collectPass(await prepared(), (event, abort) => {
      if (event.type === "image-step") abort();
    });
    const id = comfy.prompts[before]?.id;
    expect(errorOf(events)?.code).toBe("cancelled");
    expect(comfy.interrupted).toContain(id);
    expect(comfy.deleted).not.toContain(id);
  });

  it("ends an image that never starts after image_timeout_s with engine_timeout, removing it from the queue", async () => {
    comfy.script = "hang-queued";
    const before = comfy.prompts.length;
    const events = await collectPass(await prepared({ image_timeout_s: 1 }));
    expect(errorOf(events)).toEqual({
      code: "engine_timeout",
      message:
        "Image 1 did not finish within 1 s; ComfyUI was told to stop it. Raise image_timeout_s, or lower steps or the size.",
    });
    expect(comfy.deleted).toContain(comfy.prompts[before]?.id);
    expect(comfy.interrupted).not.toContain(comfy.prompts[before]?.id);
  });

  it.each(["GET /system_stats", "POST /prompt"])(
    "ends a lane whose ComfyUI hangs on %s with an error naming the wait, never a hung pass",
    async (route) => {
      comfy.hang.add(route);
      try {
        const backend = createComfyUiBackend({ baseUrl: comfy.url, requestTimeoutMs: 200 });
        const outcome = await backend.prepare(job(), signal);
        const error = outcome.ok ? errorOf(await collectPass(outcome.job)) : outcome.error;
        expect(error).toEqual({
          code: "engine_unreachable",
          message: `ComfyUI at ${comfy.url} is not reachable (no answer within 0.2 s). Start it (python main.py --listen) or pass --comfyui-url.`,
        });
      } finally {
        comfy.hang.delete(route);
      }
    },
  );

  it.each([
    ["bad-filename", "a file name that is not a plain image name"],
    ["bad-prompt-reply", "POST /prompt in an unexpected shape"],
  ] as const)(
    "ends a pass whose ComfyUI answers malformed (%s) with stream_error and fetches nothing",
    async (script, what) => {
      comfy.script = script;
      const events = await collectPass(await prepared());
      expect(errorOf(events)?.code).toBe("stream_error");
      expect(errorOf(events)?.message).toContain(what);
      expect(events.filter((e) => e.type === "image")).toEqual([]);
    },
  );

  it("finishes through /history when the socket drops after the start", async () => {
    comfy.script = "drop-socket";
    const events = await collectPass(await prepared());
    expect(events.at(-1)?.type).toBe("result");
    expect(events.filter((e) => e.type === "image")).toHaveLength(1);
  });

  it("reports a checkpoint that vanished after prepare as missing_model from /prompt's refusal", async () => {
    const job = await prepared();
    comfy.checkpoints = comfy.checkpoints.filter((c) => c !== "sd_xl_base_1.0.safetensors");
    try {
      const events = await collectPass(job);
      expect(errorOf(events)?.code).toBe("missing_model");
      expect(errorOf(events)?.message).toContain("ckpt_name: 'sd_xl_base_1.0.safetensors' not in");
    } finally {
      comfy.checkpoints.push("sd_xl_base_1.0.safetensors");
    }
  });

  it("takes only plain image file names from ComfyUI into a /view query", () => {
    expect(checkedFile({ filename: "a_00001_.png", subfolder: "run 1", type: "output" })).not.toBeNull();
    expect(checkedFile({ filename: "../../etc/passwd", subfolder: "", type: "output" })).toBeNull();
    expect(checkedFile({ filename: "x.png", subfolder: "../secret", type: "output" })).toBeNull();
    expect(checkedFile({ filename: "x.png", subfolder: "/abs", type: "output" })).toBeNull();
    expect(checkedFile({ filename: "x.png", subfolder: "", type: "input" })).toBeNull();
    expect(checkedFile({ filename: "x.sh", subfolder: "", type: "output" })).toBeNull();
  });
});
