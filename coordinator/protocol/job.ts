/**
 * A job is one lane of a race as its agent sees it: one workload on one backend, run for
 * `warmup` unranked passes and then `repeats` measured passes, one after another.
 */
import { z } from "zod";
import { backendKindSchema, workloadSchema } from "./enums.ts";
import { imageRefSchema } from "./image.ts";

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

/**
 * The one list of lane error codes. `invalid_params`: the lane's params fail the workload's schema;
 * `engine_unreachable`: the engine did not answer; `missing_model`: the engine lacks the model;
 * `stream_error`: the engine failed or cut its stream mid-pass; `engine_error`: any other engine failure;
 * `engine_timeout`: the engine took longer than the params allow; `out_of_memory`: the engine ran out
 * of (GPU) memory; `unsupported_gpu`: the engine's build has no kernels for this GPU.
 */
export const jobErrorCodes = [
  "invalid_params",
  "engine_unreachable",
  "missing_model",
  "stream_error",
  "engine_error",
  "engine_timeout",
  "out_of_memory",
  "unsupported_gpu",
  "backend_missing",
  "agent_error",
  "agent_stopped",
  "agent_restarted",
  "agent_absent",
  "agent_lost",
  "agent_revoked",
  "deadline_exceeded",
  "coordinator_restarted",
  "rooms_unavailable",
  "cancelled",
] as const;
export const jobErrorCodeSchema = z.enum(jobErrorCodes);
export type JobErrorCode = z.infer<typeof jobErrorCodeSchema>;

export const jobErrorSchema = z.object({
  /** one of `jobErrorCodes` */
  code: jobErrorCodeSchema,
  /** what happened and what to do */
  message: z.string(),
});
export type JobError = z.infer<typeof jobErrorSchema>;

/** Longest text of one `job-text` event; the agent flushes long before (64 characters). */
export const maxTextChunkChars = 16_384;

/**
 * An llm pass's timeline: one entry per engine chunk with content. `t_ms`: milliseconds since the
 * pass began; `tokens`: the engine's cumulative generated-token count then (null where not known).
 */
export const timelineSchema = z.object({
  t_ms: z.array(z.number()),
  tokens: z.array(z.number().nullable()),
});
export type Timeline = z.infer<typeof timelineSchema>;

/** Live figures of a pass under way (volatile: never stored, may be dropped). Units in the names. */
export const liveStatsSchema = z.record(z.string(), z.number().nullable());
export type LiveStats = z.infer<typeof liveStatsSchema>;

/** Pass index: warm-up passes count 0..warmup-1 with `warmup: true`, then measured passes 0..repeats-1. */
const pass = { repeat: z.number().int().nonnegative(), warmup: z.boolean() };

/** What an agent reports while it runs a job. Every one travels in a `job-event` envelope with a seq. */
export const jobEventSchema = z.discriminatedUnion("type", [
  /**
   * The job is set up (workers spawned, model loaded, stream opened) and waits for the room's start
   * instant. `prepare_ms`: how long the set-up took on the agent's clock (never part of a timing).
   */
  z.object({ type: z.literal("job-ready"), prepare_ms: z.number().nonnegative() }),
  z.object({
    type: z.literal("job-start"),
    provenance: provenanceSchema,
    /** agent clock (ms since the Unix epoch, from its monotonic clock) when the measured work began */
    began_at: z.number().optional(),
  }),
  z.object({ type: z.literal("repeat-start"), ...pass }),
  z.object({
    type: z.literal("job-progress"),
    ...pass,
    /** 0..1 */
    fraction: z.number().min(0).max(1),
    line: z.string().max(500),
  }),
  /**
   * Streamed text, coalesced by the agent (flushed at 64 characters, a newline, or 100 ms).
   * Metrics are computed from every engine chunk before coalescing, so nothing here is needed for them.
   */
  z.object({
    type: z.literal("job-text"),
    ...pass,
    text: z.string().max(maxTextChunkChars),
    /** the engine's cumulative count of generated tokens at the chunk's end; null when the engine does not say */
    tokens: z.number().int().nonnegative().nullable(),
    /** milliseconds since the pass began, when the chunk's last piece arrived */
    t_ms: z.number().nonnegative(),
  }),
  z.object({
    type: z.literal("repeat-finish"),
    ...pass,
    metrics: metricsSchema,
    /** llm: the generated text */
    output: z.string().optional(),
    /** llm: when each engine chunk arrived and the engine's token count then */
    timeline: timelineSchema.optional(),
    /** image: the pass's finished images, uploaded to the API before this event */
    images: z.array(imageRefSchema).max(64).optional(),
  }),
  z.object({
    type: z.literal("job-finish"),
    status: z.enum(["done", "failed", "cancelled"]),
    error: jobErrorSchema.nullable(),
  }),
]);
export type JobEvent = z.infer<typeof jobEventSchema>;
