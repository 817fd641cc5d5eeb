/**
 * Validates one lane's effective workload parameters (the run's params with the lane's overrides)
 * with the workload's own schema, and names the failing field where the user wrote it:
 * `params.n` for a run-level value, `lanes[1].params.n` for a lane override.
 */
import type { z } from "zod";
import { computeParamsSchema } from "../protocol/compute.ts";
import type { Workload } from "../protocol/enums.ts";
import { llmParamsSchema } from "../protocol/llm.ts";
import { ApiError } from "./api-error.ts";
import { formatIssuePath } from "./parse-or-throw.ts";

type Params = Record<string, unknown>;

/** Each built workload's params schema; a workload without one is not raced yet. */
export const workloadParamsSchemas: Partial<Record<Workload, z.ZodType<Params>>> = {
  compute: computeParamsSchema,
  llm: llmParamsSchema,
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

/** The run's own params, parsed and defaulted when they are complete on their own, else as given. */
export function parseRunParams(workload: Workload, runParams: Params): Params {
  const parsed = workloadParamsSchemas[workload]?.safeParse(runParams);
  if (!parsed) return runParams;
  return parsed.success ? parsed.data : runParams;
}
