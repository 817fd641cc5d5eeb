/**
 * The SQLite tables of bench-race (drizzle). Rooms are the source of truth while a race runs; these
 * tables are the durable projection of the run sink (runs, lanes, results, events) and the fleet.
 */
import { foreignKey, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { agentStatuses, backendKinds, laneStatuses, runStatuses, workloads } from "../coordinator/protocol/enums.ts";
import type { Backends, Hardware } from "../coordinator/protocol/hardware.ts";
import { type ImageRef, imageMediaTypes } from "../coordinator/protocol/image.ts";
import type { JobError, Metrics, Provenance, Timeline } from "../coordinator/protocol/job.ts";
import type { AgentOverrides } from "../coordinator/protocol/overrides.ts";
import type { StoredEvent } from "../coordinator/protocol/race-state.ts";
import type { GpuSample } from "../coordinator/protocol/runtime-sample.ts";

type Params = Record<string, unknown>;
/** per metric: n, median, mean, stdev, min, max, p95 */
export type StoredSummary = Record<string, Record<string, number>>;

export const agents = sqliteTable(
  "agents",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    version: text("version").notNull(),
    status: text("status", { enum: agentStatuses }).notNull(),
    /** the hardware of the agent's latest hello; results point at `hardware_snapshots` instead */
    hardware: text("hardware", { mode: "json" }).$type<Hardware>().notNull(),
    /** the snapshot the latest hello reported */
    hardwareId: text("hardware_id"),
    /** the operator's overrides of discovery (GET/PUT /api/agents/:id/overrides) */
    overrides: text("overrides", { mode: "json" }).$type<AgentOverrides>(),
    backends: text("backends", { mode: "json" }).$type<Backends>().notNull(),
    /** milliseconds since the Unix epoch */
    lastSeenAt: integer("last_seen_at").notNull(),
    /** when the operator revoked this agent's key; it is refused from then on */
    revokedAt: integer("revoked_at"),
  },
  (t) => [index("agents_name_idx").on(t.name)],
);

export const runs = sqliteTable(
  "runs",
  {
    id: text("id").primaryKey(),
    workload: text("workload", { enum: workloads }).notNull(),
    status: text("status", { enum: runStatuses }).notNull(),
    params: text("params", { mode: "json" }).$type<Params>().notNull(),
    repeats: integer("repeats").notNull(),
    warmup: integer("warmup").notNull(),
    /** seq of the last race state projected onto this run; older batches do not overwrite newer ones */
    stateSeq: integer("state_seq").notNull().default(0),
    /** a finished run this one races against, replayed as ghost lanes */
    ghostRunId: text("ghost_run_id"),
    /** what the operator called the race, e.g. "M3 vs 4090, llama3 8b"; null when unnamed */
    name: text("name"),
    /** milliseconds since the Unix epoch */
    createdAt: integer("created_at").notNull(),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
  },
  (t) => [
    index("runs_created_idx").on(t.createdAt, t.id),
    index("runs_workload_created_idx").on(t.workload, t.createdAt, t.id),
  ],
);

export const lanes = sqliteTable(
  "lanes",
  {
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    laneId: text("lane_id").notNull(),
    index: integer("index").notNull(),
    agentId: text("agent_id").notNull(),
    agentName: text("agent_name").notNull(),
    backend: text("backend", { enum: backendKinds }).notNull(),
    model: text("model"),
    params: text("params", { mode: "json" }).$type<Params>().notNull(),
    status: text("status", { enum: laneStatuses }).notNull(),
    error: text("error", { mode: "json" }).$type<JobError>(),
    /** the lane's start instant, room clock, ms since the Unix epoch */
    startAt: integer("start_at"),
    /** fractional milliseconds: SQLite keeps a REAL in this INTEGER column as it is */
    startSkewMs: integer("start_skew_ms"),
    startSkewUncertaintyMs: real("start_skew_uncertainty_ms"),
    clockOffsetMs: real("clock_offset_ms"),
    /** the lane of the same machine that ran before this one */
    ranAfter: text("ran_after"),
    startNote: text("start_note"),
    provenance: text("provenance", { mode: "json" }).$type<Provenance>(),
    summary: text("summary", { mode: "json" }).$type<StoredSummary>(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.laneId] }), index("lanes_agent_idx").on(t.agentId)],
);

export const results = sqliteTable(
  "results",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    runId: text("run_id").notNull(),
    laneId: text("lane_id").notNull(),
    /** order of the result within its lane */
    position: integer("position").notNull(),
    repeat: integer("repeat").notNull(),
    warmup: integer("warmup", { mode: "boolean" }).notNull(),
    metrics: text("metrics", { mode: "json" }).$type<Metrics>().notNull(),
    /** llm: the generated text */
    output: text("output"),
    /** llm: chunk times and engine token counts */
    timeline: text("timeline", { mode: "json" }).$type<Timeline>(),
    /** image: the stored images of the pass */
    images: text("images", { mode: "json" }).$type<ImageRef[]>(),
  },
  (t) => [
    foreignKey({ columns: [t.runId, t.laneId], foreignColumns: [lanes.runId, lanes.laneId] }).onDelete("cascade"),
    uniqueIndex("results_lane_position_idx").on(t.runId, t.laneId, t.position),
  ],
);

export const events = sqliteTable(
  "events",
  {
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    /** milliseconds since the Unix epoch, room clock */
    at: integer("at").notNull(),
    type: text("type").notNull(),
    laneId: text("lane_id"),
    /** the whole StoredEvent */
    data: text("data", { mode: "json" }).$type<StoredEvent>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.seq] })],
);

/**
 * Every hardware report ever seen, by its content hash (the agent's `hardware_id`, also in each
 * result's provenance). Rows are written once and never changed, so a result keeps the machine it ran on.
 */
export const hardwareSnapshots = sqliteTable("hardware_snapshots", {
  id: text("id").primaryKey(),
  hardware: text("hardware", { mode: "json" }).$type<Hardware>().notNull(),
  /** the agent that first reported it */
  agentId: text("agent_id").notNull(),
  /** milliseconds since the Unix epoch */
  firstSeenAt: integer("first_seen_at").notNull(),
});

/** Runtime samples of a run's machines over its window (`GET /api/runs/:id/samples`). */
export const runSamples = sqliteTable(
  "run_samples",
  {
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    agentId: text("agent_id").notNull(),
    /** milliseconds since the Unix epoch, room clock */
    at: integer("at").notNull(),
    cpuPercent: real("cpu_percent"),
    memoryUsedBytes: integer("memory_used_bytes"),
    cpuPowerW: real("cpu_power_w"),
    gpus: text("gpus", { mode: "json" }).$type<GpuSample[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.at, t.agentId] })],
);

/** Images agents uploaded for a run; the bytes lie under the data dir by content hash, shared by runs with equal images. */
export const runImages = sqliteTable(
  "run_images",
  {
    runId: text("run_id")
      .notNull()
      .references(() => runs.id, { onDelete: "cascade" }),
    /** lowercase hex sha256 of the bytes */
    sha256: text("sha256").notNull(),
    laneId: text("lane_id").notNull(),
    mediaType: text("media_type", { enum: imageMediaTypes }).notNull(),
    bytes: integer("bytes").notNull(),
    /** milliseconds since the Unix epoch */
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.sha256] }), index("run_images_sha_idx").on(t.sha256)],
);

/** Checkpoints the operator listed for image races: agents download and verify them into ComfyUI. */
export const checkpoints = sqliteTable("checkpoints", {
  /** the file name in ComfyUI's checkpoints folder (no path separators) */
  name: text("name").primaryKey(),
  label: text("label").notNull(),
  url: text("url").notNull(),
  /** lowercase hex sha256 the download must match */
  sha256: text("sha256").notNull(),
  /** the operator allowed a URL on a loopback or private address */
  allowPrivate: integer("allow_private", { mode: "boolean" }).notNull().default(false),
  /** milliseconds since the Unix epoch */
  createdAt: integer("created_at").notNull(),
});

/** The lab's settings (coordinator/protocol/lab-settings.ts): one row, kept as JSON and read with its schema. */
export const labSettings = sqliteTable("lab_settings", {
  /** always 1: the lab has one set of settings */
  id: integer("id").primaryKey(),
  settings: text("settings", { mode: "json" }).notNull(),
  /** milliseconds since the Unix epoch */
  updatedAt: integer("updated_at").notNull(),
});
