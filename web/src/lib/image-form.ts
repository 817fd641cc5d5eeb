// Turns the image part of the new-race form into a POST /api/runs body: one comfyui lane per
// chosen machine on one checkpoint, checked with the protocol's imageParamsSchema first so each
// mistake is shown beside its field, in the schema's own words.
import { createRunSchema } from "../../../coordinator/protocol/api.ts";
import { imageParamsSchema } from "../../../coordinator/protocol/image.ts";
import type { RunRequest } from "../workloads/registry.ts";
import { parseNumberInput } from "./format.ts";

export interface ImageFormFields {
  /** agent ids */
  agents: readonly string[];
  checkpoint: string;
  prompt: string;
  negativePrompt: string;
  steps: string;
  width: string;
  height: string;
  /** a number, or empty for a random seed per pass */
  seed: string;
  sampler: string;
  scheduler: string;
  cfg: string;
  images: string;
  repeats: string;
  warmup: string;
}

export type ImageField = "prompt" | "steps" | "width" | "height" | "seed" | "cfg" | "images" | "repeats" | "warmup";
export type ImageFormResult = RunRequest | { ok: false; error: string; fields: Partial<Record<ImageField, string>> };

export function parseImageForm(form: ImageFormFields): ImageFormResult {
  const fields: Partial<Record<ImageField, string>> = {};
  const number = (field: ImageField, text: string): number | undefined => {
    const value = parseNumberInput(text);
    if (value === null) fields[field] = `${field} must be a number`;
    return value ?? undefined;
  };
  const values = {
    prompt: form.prompt,
    negative_prompt: form.negativePrompt,
    steps: number("steps", form.steps),
    width: number("width", form.width),
    height: number("height", form.height),
    seed: form.seed.trim() === "" ? "random" : number("seed", form.seed),
    sampler: form.sampler,
    scheduler: form.scheduler,
    cfg: number("cfg", form.cfg),
    images: number("images", form.images),
  };
  const run = { repeats: number("repeats", form.repeats), warmup: number("warmup", form.warmup) };
  const params = imageParamsSchema.safeParse(values);
  if (!params.success) {
    for (const issue of params.error.issues) {
      const field = issue.path[0];
      if (typeof field === "string" && field in values && !fields[field as ImageField])
        fields[field as ImageField] = issue.message;
    }
  }
  if (form.agents.length === 0) return { ok: false, error: "Pick at least one machine with ComfyUI.", fields };
  if (form.checkpoint === "") return { ok: false, error: "Pick the checkpoint every machine runs.", fields };
  if (Object.keys(fields).length > 0 || !params.success)
    return { ok: false, error: "Some parameters need fixing: see the highlighted fields.", fields };
  const body = createRunSchema.safeParse({
    workload: "image",
    agents: form.agents,
    backend: "comfyui",
    model: form.checkpoint,
    params: params.data,
    ...run,
  });
  if (!body.success) return { ok: false, error: body.error.issues.map((issue) => issue.message).join("; "), fields };
  return { ok: true, body: body.data };
}
