/**
 * A race is event-sourced: the room appends `RaceEvent`s (stored, numbered by `seq`), and
 * `applyRaceEvent` folds them into a `RaceState`. The room, the database projection and the
 * browser all use this one reducer, so a live view, a late joiner's snapshot and a replay of a
 * finished race from its stored events are the same thing.
 */
import { z } from "zod";
import { clockEstimateSchema } from "./clock-offset.ts";
import { backendKindSchema, laneStatusSchema, runStatusSchema, terminalLaneStatuses, workloadSchema } from "./enums.ts";
import { imageRefSchema } from "./image.ts";
import { jobErrorSchema, jobEventSchema, metricsSchema, provenanceSchema, timelineSchema } from "./job.ts";

export const laneSetupSchema = z.object({
  lane_id: z.string(),
  /** position of the lane in the race, from 0 */
  index: z.number().int().nonnegative(),
  agent_id: z.string(),
  agent_name: z.string(),
  backend: backendKindSchema,
  model: z.string().nullable(),
  /** the lane's effective workload parameters (run params merged with lane overrides) */
  params: z.record(z.string(), z.unknown()),
});
export type LaneSetup = z.infer<typeof laneSetupSchema>;

export const runInfoSchema = z.object({
  id: z.string(),
  workload: workloadSchema,
  params: z.record(z.string(), z.unknown()),
  repeats: z.number().int().min(1),
  warmup: z.number().int().min(0),
  /** milliseconds since the Unix epoch */
  created_at: z.number(),
  /** the race ends this many seconds after it opens, whatever is still running (absent in older runs) */
  deadline_s: z.number().int().positive().optional(),
});
export type RunInfo = z.infer<typeof runInfoSchema>;

/** The first event of every race: what runs where. */
export const raceSetupSchema = z.object({
  type: z.literal("race-setup"),
  run: runInfoSchema,
  lanes: z.array(laneSetupSchema),
});
export type RaceSetup = z.infer<typeof raceSetupSchema>;

export const raceEventSchema = z.discriminatedUnion("type", [
  raceSetupSchema,
  z.object({ type: z.literal("race-start") }),
  z.object({
    type: z.literal("lane-event"),
    lane_id: z.string(),
    /** the agent's sequence number of this event within its job */
    job_seq: z.number().int().positive(),
    event: jobEventSchema,
  }),
  z.object({ type: z.literal("lane-lost"), lane_id: z.string(), error: jobErrorSchema }),
  /**
   * The room's start instant for a lane (room clock, ms since the Unix epoch): the same instant for
   * every machine's first lane, and for a later lane on a machine, a fresh one once it is ready.
   * `clock`: the agent's clock as the room measured it, null when the agent never answered.
   * `after_lane_id`: the lane of the same machine that ran before this one.
   */
  z.object({
    type: z.literal("lane-go"),
    lane_id: z.string(),
    start_at: z.number(),
    clock: clockEstimateSchema.nullable(),
    after_lane_id: z.string().nullable(),
    note: z.string().nullable(),
  }),
  /** the lane was not ready when the others started; it starts on its own once it is */
  z.object({ type: z.literal("lane-late"), lane_id: z.string(), reason: z.string() }),
  z.object({ type: z.literal("race-cancel") }),
  z.object({ type: z.literal("race-finish"), status: runStatusSchema }),
]);
export type RaceEvent = z.infer<typeof raceEventSchema>;

/** A race event as stored and sent: numbered within its run and stamped with the room's clock. */
export const storedEventSchema = z.object({
  /** 1, 2, 3... within the run */
  seq: z.number().int().positive(),
  /** milliseconds since the Unix epoch, room clock */
  at: z.number(),
  event: raceEventSchema,
});
export type StoredEvent = z.infer<typeof storedEventSchema>;

export const resultSchema = z.object({
  repeat: z.number().int().nonnegative(),
  warmup: z.boolean(),
  metrics: metricsSchema,
  /** llm: the generated text */
  output: z.string().optional(),
  /** llm: chunk arrival times and engine token counts, for replay and charts */
  timeline: timelineSchema.optional(),
  /** image: the stored images of the pass */
  images: z.array(imageRefSchema).optional(),
});
export type Result = z.infer<typeof resultSchema>;

export const laneStateSchema = laneSetupSchema.extend({
  status: laneStatusSchema,
  error: jobErrorSchema.nullable(),
  /** room clock when the lane was set up and ready to start (live only) */
  ready_at: z.number().nullable(),
  /** the lane's start instant, room clock (ms since the Unix epoch) */
  start_at: z.number().nullable(),
  /** the instant the lane's measured work began (agent clock, converted to room time) minus `start_at` */
  start_skew_ms: z.number().nullable(),
  /** `start_skew_ms` is right to within this (the clock offset's uncertainty); null when not measured */
  start_skew_uncertainty_ms: z.number().nullable(),
  /** the agent's clock minus the room's when the lane started, null when unknown */
  clock_offset_ms: z.number().nullable(),
  /** the lane of the same machine that ran before this one (lanes sharing a machine run one after another) */
  ran_after: z.string().nullable(),
  /** how the start went where it was not the common start: late, clock unknown */
  start_note: z.string().nullable(),
  provenance: provenanceSchema.nullable(),
  /** the pass under way and its last progress; kept where a lane stopped short (failed, cancelled, lost) */
  current: z
    .object({
      repeat: z.number().int(),
      warmup: z.boolean(),
      fraction: z.number(),
      line: z.string(),
    })
    .nullable(),
  /** the latest progress lines, oldest first, at most `maxLaneLines` */
  lines: z.array(z.string()),
  /** streamed text of the pass under way (llm) */
  text: z.string(),
  results: z.array(resultSchema),
  started_at: z.number().nullable(),
  finished_at: z.number().nullable(),
});
export type LaneState = z.infer<typeof laneStateSchema>;

/** A lane as stored: its state without the live-only fields (streamed text, log lines, the pass under way, readiness). */
export const laneRecordSchema = laneStateSchema.omit({ text: true, lines: true, current: true, ready_at: true });
export type LaneRecord = z.infer<typeof laneRecordSchema>;

export const toLaneRecord = ({
  text: _text,
  lines: _lines,
  current: _current,
  ready_at: _readyAt,
  ...record
}: LaneState): LaneRecord => record;

/** Whether an event can change a lane's stored fields (text, progress lines and pass starts cannot). */
export function changesLaneRecord(event: RaceEvent): boolean {
  if (event.type !== "lane-event") return event.type !== "race-start" && event.type !== "race-finish";
  const kind = event.event.type;
  return kind !== "job-text" && kind !== "job-progress" && kind !== "repeat-start" && kind !== "job-ready";
}

export const raceStateSchema = z.object({
  run: runInfoSchema,
  status: runStatusSchema,
  started_at: z.number().nullable(),
  finished_at: z.number().nullable(),
  /** seq of the last applied event */
  seq: z.number().int().nonnegative(),
  lanes: z.array(laneStateSchema),
});
export type RaceState = z.infer<typeof raceStateSchema>;

export const maxLaneLines = 50;
/** Characters of streamed text kept per lane; older text is dropped from the front. */
export const maxLaneText = 200_000;

/** A lane's streamed text with `chunk` appended, keeping the last `maxLaneText` characters. */
export function appendLaneText(text: string, chunk: string): string {
  const joined = text + chunk;
  return joined.length > maxLaneText ? joined.slice(-maxLaneText) : joined;
}

/** The state before any event: only valid as the input to a `race-setup`. */
export function createRaceState(setup: RaceSetup): RaceState {
  return {
    run: setup.run,
    status: "pending",
    started_at: null,
    finished_at: null,
    seq: 0,
    lanes: setup.lanes.map((lane) => ({
      ...lane,
      status: "pending",
      error: null,
      ready_at: null,
      start_at: null,
      start_skew_ms: null,
      start_skew_uncertainty_ms: null,
      clock_offset_ms: null,
      ran_after: null,
      start_note: null,
      provenance: null,
      current: null,
      lines: [],
      text: "",
      results: [],
      started_at: null,
      finished_at: null,
    })),
  };
}

export const isTerminalLane = (lane: LaneState): boolean => terminalLaneStatuses.includes(lane.status);

/** Folds one stored event into the state, returning a new state. Events at or below `state.seq` are ignored. */
export function applyRaceEvent(state: RaceState, stored: StoredEvent): RaceState {
  if (stored.seq <= state.seq) return state;
  const { event, at } = stored;
  const next: RaceState = { ...state, seq: stored.seq };
  const updateLane = (laneId: string, change: (lane: LaneState) => LaneState) => {
    next.lanes = next.lanes.map((lane) => (lane.lane_id === laneId ? change(lane) : lane));
  };
  switch (event.type) {
    case "race-setup":
      return { ...createRaceState(event), seq: stored.seq };
    case "race-start":
      next.status = "running";
      next.started_at = at;
      return next;
    case "race-cancel":
      next.status = "cancelled";
      next.lanes = next.lanes.map((lane) =>
        isTerminalLane(lane) ? lane : { ...lane, status: "cancelled", finished_at: at },
      );
      return next;
    case "race-finish":
      next.status = event.status;
      next.finished_at = at;
      return next;
    case "lane-lost":
      updateLane(event.lane_id, (lane) => ({
        ...lane,
        status: "lost",
        error: event.error,
        finished_at: at,
      }));
      return next;
    case "lane-go":
      updateLane(event.lane_id, (lane) => ({
        ...lane,
        start_at: event.start_at,
        clock_offset_ms: event.clock?.offset_ms ?? null,
        start_skew_uncertainty_ms: event.clock?.uncertainty_ms ?? null,
        ran_after: event.after_lane_id,
        start_note: event.note ?? lane.start_note,
      }));
      return next;
    case "lane-late":
      updateLane(event.lane_id, (lane) => ({ ...lane, start_note: event.reason }));
      return next;
    case "lane-event":
      updateLane(event.lane_id, (lane) => applyJobEvent(lane, event.event, at, state.started_at));
      return next;
  }
}

/**
 * When the lane's measured work began, against its start instant: from the agent's own stamp
 * converted to room time where the room knows the agent's clock, else from when the room heard of
 * it (an upper bound: it includes the trip). Races stored before start instants count from the race start.
 */
function startSkewOf(lane: LaneState, beganAt: number | undefined, at: number, raceStartedAt: number | null) {
  const skew =
    lane.start_at === null
      ? raceStartedAt === null
        ? null
        : at - raceStartedAt
      : beganAt !== undefined && lane.clock_offset_ms !== null
        ? beganAt - lane.clock_offset_ms - lane.start_at
        : at - lane.start_at;
  return skew === null ? null : Math.round(skew * 100) / 100;
}

function applyJobEvent(
  lane: LaneState,
  event: z.infer<typeof jobEventSchema>,
  at: number,
  raceStartedAt: number | null,
): LaneState {
  if (isTerminalLane(lane)) return lane;
  switch (event.type) {
    case "job-ready":
      return { ...lane, ready_at: at };
    case "job-start":
      return {
        ...lane,
        status: "running",
        provenance: event.provenance,
        started_at: at,
        start_skew_ms: startSkewOf(lane, event.began_at, at, raceStartedAt),
      };
    case "repeat-start":
      return { ...lane, current: { repeat: event.repeat, warmup: event.warmup, fraction: 0, line: "" }, text: "" };
    case "job-progress":
      return {
        ...lane,
        current: { repeat: event.repeat, warmup: event.warmup, fraction: event.fraction, line: event.line },
        lines: event.line ? [...lane.lines, event.line].slice(-maxLaneLines) : lane.lines,
      };
    case "job-text":
      return { ...lane, text: appendLaneText(lane.text, event.text) };
    case "repeat-finish": {
      const { type: _type, ...result } = event;
      return { ...lane, results: [...lane.results, result] };
    }
    case "job-finish":
      return {
        ...lane,
        status: event.status,
        error: event.error,
        current: event.status === "done" ? null : lane.current,
        finished_at: at,
      };
  }
}
