// Turns the llm part of the new-race form into a POST /api/runs body with one lane per chosen
// (machine, backend, model), checked with the protocol's llmParamsSchema first so each mistake is
// shown beside its field, in the schema's own words.
import { createRunSchema } from "../../../coordinator/protocol/api.ts";
import type { BackendKind } from "../../../coordinator/protocol/enums.ts";
import { llmParamsSchema } from "../../../coordinator/protocol/llm.ts";
import type { RunRequest } from "../workloads/registry.ts";
import { parseNumberInput } from "./format.ts";

/** One lane of the race: a model on one of a machine's engines. */
export interface LlmLaneChoice {
  /** agent id */
  agent: string;
  backend: BackendKind;
  model: string;
}

export interface LlmFormFields {
  lanes: readonly LlmLaneChoice[];
  prompt: string;
  maxTokens: string;
  numCtx: string;
  temperature: string;
  seed: string;
  cachePrompt: boolean;
  repeats: string;
  warmup: string;
  /** race lanes that fail the preflight instead of letting the API skip them */
  force: boolean;
}

/** The form's fields that can be wrong, by the name the API uses. */
export type LlmField = "prompt" | "max_tokens" | "num_ctx" | "temperature" | "seed" | "repeats" | "warmup";
export type LlmFormResult = RunRequest | { ok: false; error: string; fields: Partial<Record<LlmField, string>> };

const runBounds = { repeats: { min: 1, max: 100 }, warmup: { min: 0, max: 10 } } as const;

export function parseLlmForm(form: LlmFormFields): LlmFormResult {
  const fields: Partial<Record<LlmField, string>> = {};
  const number = (field: LlmField, text: string): number | undefined => {
    const value = parseNumberInput(text);
    if (value === null) fields[field] = `${field} must be a number`;
    return value ?? undefined;
  };
  const values = {
    prompt: form.prompt,
    max_tokens: number("max_tokens", form.maxTokens),
    num_ctx: number("num_ctx", form.numCtx),
    temperature: number("temperature", form.temperature),
    seed: number("seed", form.seed),
    cache_prompt: form.cachePrompt,
  };
  const run = { repeats: number("repeats", form.repeats), warmup: number("warmup", form.warmup) };
  for (const name of ["repeats", "warmup"] as const) {
    const value = run[name];
    const { min, max } = runBounds[name];
    if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) {
      fields[name] = `${name} must be a whole number from ${min} to ${max}`;
    }
  }
  const params = llmParamsSchema.safeParse(values);
  if (!params.success) {
    for (const issue of params.error.issues) {
      const field = issue.path[0];
      if (typeof field === "string" && field in values && !fields[field as LlmField]) {
        fields[field as LlmField] = issue.message;
      }
    }
  }
  if (form.lanes.length === 0) {
    return { ok: false, error: "Add at least one lane: pick a model on one of the machines above.", fields };
  }
  if (Object.keys(fields).length > 0 || !params.success) {
    return { ok: false, error: "Some parameters need fixing: see the highlighted fields.", fields };
  }
  const body = createRunSchema.safeParse({
    workload: "llm",
    lanes: form.lanes.map(({ agent, backend, model }) => ({ agent, backend, model })),
    params: params.data,
    ...run,
    force: form.force,
  });
  if (!body.success) return { ok: false, error: body.error.issues.map((issue) => issue.message).join("; "), fields };
  return { ok: true, body: body.data };
}
