// Turns the new-race form's text fields into a POST /api/runs body, checked with the protocol's
// own schemas so mistakes show before the request, worded like the API's ("params.n: ...").
import type { z } from "zod";
import { type CreateRun, createRunSchema } from "../../../coordinator/protocol/api.ts";
import { type ComputeAlgorithm, computeParamsSchema } from "../../../coordinator/protocol/compute.ts";
import { parseNumberInput } from "./format.ts";

export interface ComputeFormFields {
  agentIds: readonly string[];
  algorithm: ComputeAlgorithm;
  dragRace: boolean;
  n: string;
  /** blank means every core */
  threads: string;
  repeats: string;
  warmup: string;
  progressInterval: string;
  /** drag race only */
  duration: string;
}

export type ComputeFormResult = { ok: true; body: CreateRun } | { ok: false; error: string };

const describeIssues = (issues: readonly z.core.$ZodIssue[], prefix: string): string =>
  issues
    .map((issue) => `${[prefix, ...issue.path.map(String)].filter(Boolean).join(".")}: ${issue.message}`)
    .join("; ");

/** A typed number, or the text itself so the schema reports it as "expected number". */
const numberOrText = (text: string): number | string => parseNumberInput(text) ?? text;

export function parseComputeForm(fields: ComputeFormFields): ComputeFormResult {
  if (fields.agentIds.length === 0) return { ok: false, error: "Pick at least one machine to race." };
  const params = computeParamsSchema.safeParse({
    algorithm: fields.algorithm,
    n: numberOrText(fields.n),
    threads: fields.threads.trim() === "" ? undefined : numberOrText(fields.threads),
    progress_interval_s: numberOrText(fields.progressInterval),
    preset: fields.dragRace ? "drag_race" : undefined,
    duration_s: fields.dragRace ? numberOrText(fields.duration) : undefined,
  });
  if (!params.success) return { ok: false, error: describeIssues(params.error.issues, "params") };
  const body = createRunSchema.safeParse({
    workload: "compute",
    agents: [...fields.agentIds],
    params: params.data,
    repeats: numberOrText(fields.repeats),
    warmup: numberOrText(fields.warmup),
  });
  if (!body.success) return { ok: false, error: describeIssues(body.error.issues, "") };
  return { ok: true, body: body.data };
}
