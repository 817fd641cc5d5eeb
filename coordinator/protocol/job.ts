/**
 * A job is one lane of a race as its agent sees it: one workload on one backend, run for
 * `warmup` unranked passes and then `repeats` measured passes, one after another.
 */
import { z } from "zod";
import { backendKindSchema, workloadSchema } from "./enums.ts";

/** A metric value: numbers for measurements, strings and booleans for labels and checks. */
export const metricValueSchema = z.union([z.number(), z.string(), z.boolean(), z.null()]);
export type MetricValue = z.infer<typeof metricValueSchema>;
export const metricsSchema = z.record(z.string(), metricValueSchema);
export type Metrics = z.infer<typeof metricsSchema>;

export const jobSpecSchema = z.object({
  job_id: z.string().min(1),
  run_id: z.string().min(1),
  lane_id: z.string().min(1),
  workload: workloadSchema,
  backend: backendKindSchema,
  /** model name for llm/image; null for compute */
  model: z.string().nullable(),
  /** workload parameters, validated by the workload's own schema when the run is created */
  params: z.record(z.string(), z.unknown()),
  repeats: z.number().int().min(1).max(100),
  warmup: z.number().int().min(0).max(10),
});
export type JobSpec = z.infer<typeof jobSpecSchema>;

export const provenanceSchema = z.object({
  agent_version: z.string(),
  os: z.string(),
  hardware_id: z.string(),
  engine: z.string(),
  engine_version: z.string().nullable(),
  model_digest: z.string().nullable(),
  remote_engine: z.boolean(),
  engine_host: z.string().nullable(),
  params: z.record(z.string(), z.unknown()),
});
export type Provenance = z.infer<typeof provenanceSchema>;

export const jobErrorSchema = z.object({
  /** machine-readable, e.g. `unreachable`, `bad_params`, `cancelled`, `engine_error` */
  code: z.string(),
  /** what happened and what to do */
  message: z.string(),
});
export type JobError = z.infer<typeof jobErrorSchema>;

/** Pass index: warm-up passes count 0..warmup-1 with `warmup: true`, then measured passes 0..repeats-1. */
const pass = { repeat: z.number().int().nonnegative(), warmup: z.boolean() };

/** What an agent reports while it runs a job. Every one travels in a `job-event` envelope with a seq. */
export const jobEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("job-start"), provenance: provenanceSchema }),
  z.object({ type: z.literal("repeat-start"), ...pass }),
  z.object({
    type: z.literal("job-progress"),
    ...pass,
    /** 0..1 */
    fraction: z.number().min(0).max(1),
    line: z.string().max(500),
  }),
  z.object({ type: z.literal("job-token"), ...pass, text: z.string() }),
  z.object({ type: z.literal("repeat-finish"), ...pass, metrics: metricsSchema }),
  z.object({
    type: z.literal("job-finish"),
    status: z.enum(["done", "failed", "cancelled"]),
    error: jobErrorSchema.nullable(),
  }),
]);
export type JobEvent = z.infer<typeof jobEventSchema>;
