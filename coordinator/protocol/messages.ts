/**
 * Every message that crosses a WebSocket: agent <-> lab room, agent <-> race room,
 * race room <-> browser. Each receiver parses with the schema of its direction.
 */
import { z } from "zod";
import { checkpointSpecSchema } from "./checkpoint.ts";
import { agentStatusSchema } from "./enums.ts";
import { backendsSchema, hardwareSchema } from "./hardware.ts";
import { jobEventSchema, jobSpecSchema, liveStatsSchema } from "./job.ts";
import { raceStateSchema, storedEventSchema } from "./race-state.ts";
import { machineSampleSchema, runtimeSampleSchema } from "./runtime-sample.ts";

/** Sent by a room to a connection whose message it refused; the connection stays open. */
export const errorMessageSchema = z.object({
  type: z.literal("error"),
  code: z.string(),
  message: z.string(),
});
export type ErrorMessage = z.infer<typeof errorMessageSchema>;

export const agentIdentitySchema = z.object({
  agent_id: z.string().min(1).max(100),
  name: z.string().min(1).max(100),
  version: z.string(),
  hardware: hardwareSchema,
  /** content hash of `hardware` (32 hex), the id results' provenance names; the coordinator stores the snapshot under it */
  hardware_id: z
    .string()
    .regex(/^[0-9a-f]{16,64}$/)
    .optional(),
  backends: backendsSchema,
});
export type AgentIdentity = z.infer<typeof agentIdentitySchema>;

/**
 * How a model pull on an agent is going. Volatile: sent at most about 4 times a second while the
 * pull runs, plus the final one (`done: true`), and never stored or re-sent. After a successful
 * pull the agent re-sends `agent-hello` with its re-probed backends before the final progress.
 */
export const modelPullProgressSchema = z.object({
  type: z.literal("model-pull-progress"),
  /** the model as it was asked for, e.g. `llama3.2:1b` */
  model: z.string().min(1).max(200),
  /** the engine's words for the step ("pulling manifest", "pulling 6a0746a1ec1a", "success"), or "failed" */
  status: z.string().max(500),
  /** bytes of the layer being downloaded that have arrived; null outside a download step */
  completed_bytes: z.number().nonnegative().nullable(),
  /** bytes of the layer being downloaded; null outside a download step */
  total_bytes: z.number().nonnegative().nullable(),
  /** true on the last message of the pull, success or failure */
  done: z.boolean(),
  /** why the pull failed, in words that name the fix; absent on success */
  error: z.string().max(2000).optional(),
});
export type ModelPullProgress = z.infer<typeof modelPullProgressSchema>;

/**
 * The machine's runtime figures of the last second, one sample (never the buffer). Volatile: sent
 * to the lab room every second, and to each race room the agent is in.
 */
export const runtimeSampleMessageSchema = z.object({ type: z.literal("runtime-sample"), sample: runtimeSampleSchema });

// ---- agent -> lab room ----
export const agentToLabSchema = z.discriminatedUnion("type", [
  /** sent on every (re)connect, and again with re-probed backends after a model pull */
  z.object({ type: z.literal("agent-hello"), agent: agentIdentitySchema }),
  z.object({ type: z.literal("agent-status"), status: agentStatusSchema.exclude(["offline"]) }),
  modelPullProgressSchema,
  runtimeSampleMessageSchema,
]);
export type AgentToLab = z.infer<typeof agentToLabSchema>;

// ---- lab room -> agent ----
export const labToAgentSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("lab-welcome"), agent_id: z.string() }),
  /** join this race's room; the room then assigns the jobs */
  z.object({ type: z.literal("race-join"), run_id: z.string() }),
  /** pull this model into the agent's Ollama; the agent answers with `model-pull-progress` */
  z.object({ type: z.literal("model-pull"), model: z.string().min(1).max(200) }),
  /** probe the machine's hardware again; the agent answers with `agent-hello` carrying what it found */
  z.object({ type: z.literal("hardware-probe") }),
  /**
   * download this checkpoint into ComfyUI's checkpoints folder; the agent answers with
   * `model-pull-progress` whose `model` is the checkpoint's file name
   */
  z.object({ type: z.literal("checkpoint-sync"), checkpoint: checkpointSpecSchema }),
  errorMessageSchema,
]);
export type LabToAgent = z.infer<typeof labToAgentSchema>;

// ---- agent -> race room ----
export const agentToRaceSchema = z.discriminatedUnion("type", [
  /** sent on every (re)connect; the room answers with the jobs still to run or resend */
  z.object({ type: z.literal("agent-join"), agent_id: z.string() }),
  z.object({
    type: z.literal("job-event"),
    job_id: z.string(),
    /** 1, 2, 3... within the job; resent events keep their seq */
    seq: z.number().int().positive(),
    event: jobEventSchema,
  }),
  /** the answer to `clock-ping`, sent at once: `agent_at` is the agent's clock when it answered */
  z.object({
    type: z.literal("clock-pong"),
    ping_id: z.number().int().nonnegative(),
    agent_at: z.number(),
  }),
  /** volatile live figures of the pass under way: not numbered, stored or re-sent */
  z.object({
    type: z.literal("job-live"),
    job_id: z.string(),
    repeat: z.number().int().nonnegative(),
    warmup: z.boolean(),
    stats: liveStatsSchema,
  }),
  runtimeSampleMessageSchema,
]);
export type AgentToRace = z.infer<typeof agentToRaceSchema>;

// ---- race room -> agent ----
export const raceToAgentSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("job-assign"),
    job: jobSpecSchema,
    /** the highest seq of this job the room already holds; the agent resends from there */
    acked_seq: z.number().int().nonnegative(),
  }),
  z.object({ type: z.literal("job-cancel"), job_id: z.string() }),
  /** cumulative: every event of the job up to `seq` is applied */
  z.object({ type: z.literal("event-ack"), job_id: z.string(), seq: z.number().int().nonnegative() }),
  /** a gap was seen: resend the job's events from `from_seq` */
  z.object({ type: z.literal("event-resend"), job_id: z.string(), from_seq: z.number().int().positive() }),
  /** the room measures the agent's clock: answer at once with `clock-pong` */
  z.object({ type: z.literal("clock-ping"), ping_id: z.number().int().nonnegative() }),
  /**
   * Begin the job's measured work at `start_at`, on the agent's own clock (ms since the Unix epoch,
   * as the agent answers pings). null: at once (the room does not know the agent's clock).
   */
  z.object({ type: z.literal("job-go"), job_id: z.string(), start_at: z.number().nullable() }),
  errorMessageSchema,
]);
export type RaceToAgent = z.infer<typeof raceToAgentSchema>;

/** A lane's volatile live figures, as viewers get them. */
export const laneLiveSchema = z.object({
  lane_id: z.string(),
  repeat: z.number().int().nonnegative(),
  warmup: z.boolean(),
  stats: liveStatsSchema,
});
export type LaneLive = z.infer<typeof laneLiveSchema>;

// ---- race room -> browser ----
export const raceToViewerSchema = z.discriminatedUnion("type", [
  /** the whole state, sent on connect and on request; deltas follow from `state.seq + 1` */
  z.object({
    type: z.literal("race-snapshot"),
    state: raceStateSchema,
    /** the runtime samples of the race's machines kept so far (the newest, bounded) */
    samples: z.array(machineSampleSchema).optional(),
  }),
  /**
   * One frame per viewer per tick (about 50 ms): every stored event of the tick, in seq order, and
   * the latest volatile live figures per lane (left out for a viewer that is not keeping up).
   */
  z.object({
    type: z.literal("race-delta"),
    events: z.array(storedEventSchema),
    live: z.array(laneLiveSchema).optional(),
    /** runtime samples of the race's machines that arrived in the tick (volatile, like `live`) */
    samples: z.array(machineSampleSchema).optional(),
  }),
  errorMessageSchema,
]);
export type RaceToViewer = z.infer<typeof raceToViewerSchema>;

// ---- browser -> race room ----
export const viewerToRaceSchema = z.discriminatedUnion("type", [
  /** ask for a fresh snapshot, e.g. after seeing a gap in deltas */
  z.object({ type: z.literal("snapshot-request") }),
]);
export type ViewerToRace = z.infer<typeof viewerToRaceSchema>;

/** A machine present in the lab as operators see it live. */
export const fleetMemberSchema = z.object({
  agent_id: z.string(),
  name: z.string(),
  status: agentStatusSchema.exclude(["offline"]),
});
export type FleetMember = z.infer<typeof fleetMemberSchema>;

// ---- lab room -> operator's browser (role=operator) ----
export const labToOperatorSchema = z.discriminatedUnion("type", [
  /** on connect and whenever a machine comes, goes or changes status: who is present, with their latest samples */
  z.object({
    type: z.literal("lab-fleet"),
    agents: z.array(fleetMemberSchema),
    samples: z.array(machineSampleSchema),
  }),
  /** a machine's runtime sample as it arrives (volatile) */
  z.object({ type: z.literal("fleet-sample"), sample: machineSampleSchema }),
  errorMessageSchema,
]);
export type LabToOperator = z.infer<typeof labToOperatorSchema>;
