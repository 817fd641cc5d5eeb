/**
 * Bodies of the HTTP API (DESIGN.md section 3) and of the requests the API sends to rooms.
 * Times in API responses are ISO 8601 strings; inside rooms they are epoch milliseconds.
 */
import { z } from "zod";
import { checkpointSpecSchema } from "./checkpoint.ts";
import { agentStatusSchema, backendKindSchema, laneStatusSchema, runStatusSchema, workloadSchema } from "./enums.ts";
import { backendsSchema, hardwareSchema } from "./hardware.ts";
import { jobErrorSchema, provenanceSchema } from "./job.ts";
import { agentIdentitySchema } from "./messages.ts";
import { agentOverridesSchema } from "./overrides.ts";
import { laneRecordSchema, raceSetupSchema, resultSchema, storedEventSchema } from "./race-state.ts";
import { machineSampleSchema } from "./runtime-sample.ts";

const paramsSchema = z.record(z.string(), z.unknown());

export const laneRequestSchema = z.object({
  /** agent id or name */
  agent: z.string().min(1, { error: "lanes[].agent must name an agent (id or name)" }),
  backend: backendKindSchema.optional(),
  model: z.string().min(1).optional(),
  /** overrides of the run's params for this lane */
  params: paramsSchema.optional(),
});
export type LaneRequest = z.infer<typeof laneRequestSchema>;

export const createRunSchema = z
  .object({
    workload: workloadSchema,
    /** agent ids or names: one lane each, with the run's backend, model and params */
    agents: z.array(z.string().min(1)).min(1).max(64).optional(),
    /** several configurations per machine; alternative to `agents` */
    lanes: z.array(laneRequestSchema).min(1).max(64).optional(),
    backend: backendKindSchema.optional(),
    model: z.string().min(1).optional(),
    params: paramsSchema.default({}),
    repeats: z.number().int().min(1).max(100).default(1),
    warmup: z.number().int().min(0).max(10).default(0),
    /** race lanes that fail preflight (engine unreachable, model missing) instead of skipping them */
    force: z.boolean().default(false),
    /** the race ends this long after it starts, whatever is still running: 10 s to 24 h, default 4 h */
    deadline_s: z.number().int().min(10).max(86_400).default(14_400),
    /** a finished run of the same workload to race against: its lanes replay beside the new ones as ghosts */
    ghost_run_id: z.string().min(1).max(100).optional(),
    /** what to call the race in lists and headings, e.g. "M3 vs 4090, llama3 8b" */
    name: z.string().trim().max(120, { error: "name must be at most 120 characters" }).optional(),
  })
  .refine((body) => (body.agents === undefined) !== (body.lanes === undefined), {
    message: "give either agents (a list of agent ids or names) or lanes, not both and not neither",
    path: ["agents"],
  });
export type CreateRun = z.infer<typeof createRunSchema>;

export const agentViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: agentStatusSchema,
  version: z.string(),
  hardware: hardwareSchema,
  backends: backendsSchema,
  last_seen_at: z.string(),
  /** when the operator revoked the agent (it can no longer connect), else null */
  revoked_at: z.string().nullable(),
  /** the operator's overrides of what discovery found; fit calculations use them (overrides.ts) */
  overrides: agentOverridesSchema.nullable().optional(),
});
export type AgentView = z.infer<typeof agentViewSchema>;

/** `GET /api/fleet/enrollment` (operator only): how to add a machine. */
export const enrollmentSchema = z.object({
  /** the secret an agent presents to join */
  token: z.string(),
  /** the shell line that starts an agent against this coordinator */
  command: z.string(),
});
export type Enrollment = z.infer<typeof enrollmentSchema>;

export const laneViewSchema = z.object({
  lane_id: z.string(),
  index: z.number().int(),
  agent_id: z.string(),
  agent_name: z.string(),
  backend: backendKindSchema,
  model: z.string().nullable(),
  params: paramsSchema,
  status: laneStatusSchema,
  error: jobErrorSchema.nullable(),
  /** the lane's start instant (room clock) */
  start_at: z.string().nullable(),
  /** when the lane's measured work began minus `start_at`, ms; see DESIGN.md section 3 */
  start_skew_ms: z.number().nullable(),
  start_skew_uncertainty_ms: z.number().nullable(),
  /** the agent's clock minus the room's, ms, as measured before the start */
  clock_offset_ms: z.number().nullable(),
  /** the lane of the same machine that ran before this one */
  ran_after: z.string().nullable(),
  /** how the start went where it was not the common start (late, clock unknown) */
  start_note: z.string().nullable(),
  provenance: provenanceSchema.nullable(),
  results: z.array(resultSchema),
  /** per metric: n, median, mean, stdev, min, max, p95 over measured non-mock passes */
  summary: z.record(z.string(), z.record(z.string(), z.number())).nullable(),
});
export type LaneView = z.infer<typeof laneViewSchema>;

export const runViewSchema = z.object({
  id: z.string(),
  workload: workloadSchema,
  status: runStatusSchema,
  params: paramsSchema,
  repeats: z.number().int(),
  warmup: z.number().int(),
  /** the stored run this one races against as ghost lanes, replayed from its timeline */
  ghost_run_id: z.string().nullable(),
  /** the race's name as the operator gave it; null when unnamed */
  name: z.string().nullable(),
  share_url: z.string(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  lanes: z.array(laneViewSchema),
});
export type RunView = z.infer<typeof runViewSchema>;

/** A lane as the runs list shows it. */
export const laneBriefSchema = laneViewSchema.pick({
  lane_id: true,
  agent_id: true,
  agent_name: true,
  backend: true,
  model: true,
  status: true,
});
export type LaneBrief = z.infer<typeof laneBriefSchema>;

/** A run in `GET /api/runs`: the run without results, its lanes in brief. */
export const runListItemSchema = runViewSchema.omit({ lanes: true }).extend({ lanes: z.array(laneBriefSchema) });
export type RunListItem = z.infer<typeof runListItemSchema>;

export const runListSchema = z.object({
  runs: z.array(runListItemSchema),
  /** pass back as `cursor` for the next (older) page; null on the last page */
  next_cursor: z.string().nullable(),
});
export type RunList = z.infer<typeof runListSchema>;

export const apiErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ApiError = z.infer<typeof apiErrorSchema>;

// ---- API -> rooms (HTTP requests to /parties/:party/:room) ----
export const raceControlSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("race-open"), setup: raceSetupSchema }),
  z.object({ type: z.literal("race-cancel") }),
  /** the operator revoked this agent: its lanes end at once */
  z.object({ type: z.literal("agent-revoked"), agent_id: z.string() }),
]);
export type RaceControl = z.infer<typeof raceControlSchema>;

/**
 * An Ollama model name as `ollama pull` takes it: `name[:tag]`, the name may hold a namespace or
 * registry (`/`), dots, dashes and underscores; no spaces.
 */
export const ollamaModelNameSchema = z
  .string()
  .max(200, { error: "at most 200 characters" })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._\-/]*(:[A-Za-z0-9][A-Za-z0-9._-]*)?$/, {
    error:
      'give an Ollama model name such as "llama3.2" or "qwen2.5:0.5b" (letters, digits, / . - _, one :tag, no spaces)',
  });

/** `POST /api/agents/pull`: pull a model into the Ollama of each named machine. */
export const modelPullRequestSchema = z.object({
  /** agent ids or names */
  agents: z.array(z.string().min(1)).min(1).max(64),
  model: ollamaModelNameSchema,
});
export type ModelPullRequest = z.infer<typeof modelPullRequestSchema>;

/** The latest progress of one model pull on one agent, as the lab room keeps it. */
export const modelPullStateSchema = z.object({
  agent_id: z.string(),
  model: z.string(),
  /** the engine's words for the step, "queued" until the agent reports, or "failed" */
  status: z.string(),
  /** bytes of the current layer downloaded; null outside a download step */
  completed_bytes: z.number().nullable(),
  /** bytes of the current layer; null outside a download step */
  total_bytes: z.number().nullable(),
  done: z.boolean(),
  /** why the pull failed; null while it runs or after success */
  error: z.string().nullable(),
});
export type ModelPullState = z.infer<typeof modelPullStateSchema>;

/** `GET /api/agents/pulls` and the lab room's answer to `lab-pulls`. */
export const modelPullListSchema = z.object({ pulls: z.array(modelPullStateSchema) });
export type ModelPullList = z.infer<typeof modelPullListSchema>;

export const labControlSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("lab-dispatch"), run_id: z.string(), agent_ids: z.array(z.string()) }),
  /** send `model-pull` to each of these agents; answered like `lab-dispatch` */
  z.object({ type: z.literal("lab-pull"), agent_ids: z.array(z.string()), model: ollamaModelNameSchema }),
  /** the latest progress of recent pulls; answered with a `ModelPullList` */
  z.object({ type: z.literal("lab-pulls") }),
  /** send `hardware-probe` to each of these agents; answered like `lab-dispatch` */
  z.object({ type: z.literal("lab-probe"), agent_ids: z.array(z.string()) }),
  /** the operator revoked this agent: its socket to the lab is closed now */
  z.object({ type: z.literal("agent-revoked"), agent_id: z.string() }),
  /** send `checkpoint-sync` to each of these agents; its progress is kept like a pull's, under the checkpoint's name */
  z.object({
    type: z.literal("lab-checkpoint-sync"),
    agent_ids: z.array(z.string()),
    checkpoint: checkpointSpecSchema,
  }),
]);
export type LabControl = z.infer<typeof labControlSchema>;

/** What the lab room answers to a dispatch or a pull: which agents got the message. */
export const labDispatchResultSchema = z.object({ reached: z.array(z.string()), missing: z.array(z.string()) });
export type LabDispatchResult = z.infer<typeof labDispatchResultSchema>;

// ---- rooms -> API (the run sink and fleet sink; in-process locally, HTTP in cloud mode) ----
export const runBatchSchema = z.object({
  run_id: z.string(),
  events: z.array(storedEventSchema),
  /** the run after the last of `events` */
  run: z.object({
    status: runStatusSchema,
    started_at: z.number().nullable(),
    finished_at: z.number().nullable(),
    /** seq of the last event applied */
    seq: z.number().int().nonnegative(),
  }),
  /** the lanes whose stored fields changed since the last batch, as they are after `events` */
  lanes: z.array(laneRecordSchema),
  /** runtime samples of the race's machines that arrived since the last batch */
  samples: z.array(machineSampleSchema).optional(),
});
export type RunBatch = z.infer<typeof runBatchSchema>;

export const fleetChangeSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("agent-seen"), agent: agentIdentitySchema, status: agentStatusSchema }),
  z.object({ type: z.literal("agent-gone"), agent_id: z.string() }),
]);
export type FleetChange = z.infer<typeof fleetChangeSchema>;

/**
 * `POST /api/internal/operator-check`: a room hosted elsewhere asks whether a socket comes from the
 * operator, with what the socket presented (its `key` query parameter and its Cookie header).
 */
export const operatorCheckSchema = z.object({
  key: z.string().max(1000).nullable(),
  cookie_header: z.string().max(16_384).nullable(),
});
export type OperatorCheck = z.infer<typeof operatorCheckSchema>;

/** The lab room every agent of a coordinator joins. */
export const defaultLabId = "main";

/** `POST /api/agents/enroll` (with the enrollment token as the bearer): a machine asks to join. */
export const enrollRequestSchema = z.object({ name: z.string().trim().min(1).max(100) });
export type EnrollRequest = z.infer<typeof enrollRequestSchema>;

/** The answer: the id the coordinator chose and the key the agent connects with from now on. */
export const enrollGrantSchema = z.object({ agent_id: z.string(), agent_key: z.string() });
export type EnrollGrant = z.infer<typeof enrollGrantSchema>;

/** `GET /api/health`: what agents and `bench-race doctor` check a coordinator by. */
export const healthSchema = z.object({
  ok: z.literal(true),
  version: z.string(),
  /** local: one process with the rooms; cloud: the API of rooms hosted on PartyKit */
  mode: z.enum(["local", "cloud"]),
});
export type Health = z.infer<typeof healthSchema>;
