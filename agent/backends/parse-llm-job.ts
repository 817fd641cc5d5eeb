/**
 * The checks every LLM backend makes before it touches its engine: a model is named and the
 * params pass the workload's schema. Each failure names the field, so the lane's error says
 * what to fix.
 */

import type { JobError } from "../../coordinator/protocol/job.ts";
import { type LlmParams, llmParamsSchema } from "../../coordinator/protocol/llm.ts";
import type { BackendJob } from "./backend.ts";

export type ParsedLlmJob = { ok: true; model: string; params: LlmParams } | { ok: false; error: JobError };

export function parseLlmJob(job: BackendJob, backendLabel: string): ParsedLlmJob {
  if (!job.model) {
    return {
      ok: false,
      error: { code: "invalid_params", message: `model: the ${backendLabel} lane needs a model name` },
    };
  }
  const parsed = llmParamsSchema.safeParse(job.params);
  if (parsed.success) return { ok: true, model: job.model, params: parsed.data };
  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path.join(".");
    return field === "" || issue.message.startsWith(field) ? issue.message : `${field}: ${issue.message}`;
  });
  return { ok: false, error: { code: "invalid_params", message: `Invalid LLM params: ${problems.join("; ")}` } };
}
