/**
 * Validates one lane's effective workload parameters (the run's params with the lane's overrides)
 * with the workload's own schema, and names the failing field where the user wrote it:
 * `params.n` for a run-level value, `lanes[1].params.n` for a lane override.
 */
import type { z } from "zod";
import { computeParamsSchema } from "../protocol/compute.ts";
import type { Workload } from "../protocol/enums.ts";
import { imageParamsSchema } from "../protocol/image.ts";
import { llmParamsSchema } from "../protocol/llm.ts";
import { ApiError } from "./api-error.ts";
import { formatIssuePath } from "./parse-or-throw.ts";

type Params = Record<string, unknown>;

/** Each built workload's params schema; a workload without one is not raced yet. */
export const workloadParamsSchemas: Partial<Record<Workload, z.ZodObject>> = {
  compute: computeParamsSchema,
  llm: llmParamsSchema,
  image: imageParamsSchema,
};

/** The parsed, defaulted params of a lane. `laneIndex` is null when the run was given as `agents`. */
export function parseLaneParams(
  workload: Workload,
  runParams: Params,
  laneParams: Params | undefined,
  laneIndex: number | null,
): Params {
  const schema = workloadParamsSchemas[workload];
  if (!schema) return { ...runParams, ...laneParams };
  const parsed = schema.safeParse({ ...runParams, ...laneParams });
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues
    .map((issue) => {
      const key = issue.path[0];
      const fromLane = laneIndex !== null && laneParams !== undefined && key !== undefined && key in laneParams;
      const prefix = fromLane ? ["lanes", laneIndex, "params"] : ["params"];
      return `${formatIssuePath([...prefix, ...issue.path])}: ${issue.message}`;
    })
    .join("; ");
  throw new ApiError(400, "bad_request", message);
}

/**
 * The run's own params as stored: parsed and defaulted when they are complete on their own, else
 * (the lanes complete them) each field the workload's schema defines and accepts. A key the schema
 * does not define is never stored.
 */
export function parseRunParams(workload: Workload, runParams: Params): Params {
  const schema = workloadParamsSchemas[workload];
  if (!schema) return {};
  const parsed = schema.safeParse(runParams);
  if (parsed.success) return parsed.data;
  const kept: Params = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    if (!Object.hasOwn(runParams, key)) continue;
    const value = field.safeParse(runParams[key]);
    if (value.success && value.data !== undefined) kept[key] = value.data;
  }
  return kept;
}
