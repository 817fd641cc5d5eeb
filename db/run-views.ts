/**
 * Reads of the run aggregate shaped for the API: the full `RunView` of one run (ISO times, lanes
 * with results and summaries) and the newest-first, cursor-paged list of runs with lanes in brief.
 */
import { and, asc, desc, eq, gte, inArray, lt, or, type SQL } from "drizzle-orm";
import type { LaneBrief, LaneView, RunList, RunView } from "../coordinator/protocol/api.ts";
import type { RunStatus, Workload } from "../coordinator/protocol/enums.ts";
import type { Result } from "../coordinator/protocol/race-state.ts";
import type { Db } from "./client.ts";
import { decodeRunCursor, encodeRunCursor } from "./run-cursor.ts";
import { lanes, results, runs } from "./schema.ts";

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
const shareUrl = (publicUrl: string, id: string): string => `${publicUrl.replace(/\/+$/, "")}/runs/${id}`;

/** The fields of a run that both the full view and the list show. */
function toRunHeader(run: typeof runs.$inferSelect, publicUrl: string): Omit<RunView, "lanes"> {
  return {
    id: run.id,
    workload: run.workload,
    status: run.status,
    params: run.params,
    repeats: run.repeats,
    warmup: run.warmup,
    ghost_run_id: run.ghostRunId,
    name: run.name,
    share_url: shareUrl(publicUrl, run.id),
    created_at: iso(run.createdAt),
    started_at: isoOrNull(run.startedAt),
    finished_at: isoOrNull(run.finishedAt),
  };
}

/** The run with its lanes, results and summaries, or null when there is no such run. */
export function getRunView(db: Db, id: string, publicUrl: string): RunView | null {
  const run = db.select().from(runs).where(eq(runs.id, id)).get();
  if (!run) return null;
  const laneRows = db.select().from(lanes).where(eq(lanes.runId, id)).orderBy(asc(lanes.index)).all();
  const resultRows = db
    .select()
    .from(results)
    .where(eq(results.runId, id))
    .orderBy(asc(results.laneId), asc(results.position))
    .all();
  const resultsByLane = new Map<string, Result[]>();
  for (const row of resultRows) {
    const list = resultsByLane.get(row.laneId) ?? [];
    list.push({
      repeat: row.repeat,
      warmup: row.warmup,
      metrics: row.metrics,
      ...(row.output !== null ? { output: row.output } : {}),
      ...(row.timeline !== null ? { timeline: row.timeline } : {}),
      ...(row.images !== null ? { images: row.images } : {}),
    });
    resultsByLane.set(row.laneId, list);
  }
  const laneViews: LaneView[] = laneRows.map((lane) => ({
    lane_id: lane.laneId,
    index: lane.index,
    agent_id: lane.agentId,
    agent_name: lane.agentName,
    backend: lane.backend,
    model: lane.model,
    params: lane.params,
    status: lane.status,
    error: lane.error,
    start_at: lane.startAt === null ? null : iso(lane.startAt),
    start_skew_ms: lane.startSkewMs,
    start_skew_uncertainty_ms: lane.startSkewUncertaintyMs,
    clock_offset_ms: lane.clockOffsetMs,
    ran_after: lane.ranAfter,
    start_note: lane.startNote,
    provenance: lane.provenance,
    results: resultsByLane.get(lane.laneId) ?? [],
    summary: lane.summary,
  }));
  return { ...toRunHeader(run, publicUrl), lanes: laneViews };
}

export interface RunListQuery {
  workload?: Workload;
  status?: RunStatus;
  /** runs with a lane on this agent, by id or by name */
  agent?: string;
  /** runs with a lane that ran this model */
  model?: string;
  /** runs created at or after this instant, ms since the Unix epoch */
  since?: number;
  /** runs created before this instant, ms since the Unix epoch */
  until?: number;
  /** page size */
  limit: number;
  /** `next_cursor` of the previous page */
  cursor?: string;
}

/** Runs newest first, a page at a time. Throws on a cursor this module did not write. */
export function listRuns(db: Db, query: RunListQuery, publicUrl: string): RunList {
  const conditions: SQL[] = [];
  if (query.workload) conditions.push(eq(runs.workload, query.workload));
  if (query.status) conditions.push(eq(runs.status, query.status));
  if (query.since !== undefined) conditions.push(gte(runs.createdAt, query.since));
  if (query.until !== undefined) conditions.push(lt(runs.createdAt, query.until));
  const laneConditions: SQL[] = [];
  if (query.agent !== undefined) {
    const onAgent = or(eq(lanes.agentId, query.agent), eq(lanes.agentName, query.agent));
    if (onAgent) laneConditions.push(onAgent);
  }
  if (query.model !== undefined) laneConditions.push(eq(lanes.model, query.model));
  if (laneConditions.length > 0) {
    // One lane must match every lane filter: "llama3 on gpu-box", not llama3 anywhere and gpu-box anywhere.
    const matching = db
      .select({ runId: lanes.runId })
      .from(lanes)
      .where(and(...laneConditions));
    conditions.push(inArray(runs.id, matching));
  }
  if (query.cursor !== undefined) {
    const cursor = decodeRunCursor(query.cursor);
    if (!cursor) throw new Error(`cursor "${query.cursor}" is not a next_cursor from a previous page`);
    const before = or(
      lt(runs.createdAt, cursor.createdAt),
      and(eq(runs.createdAt, cursor.createdAt), lt(runs.id, cursor.id)),
    );
    if (before) conditions.push(before);
  }
  const rows = db
    .select()
    .from(runs)
    .where(and(...conditions))
    .orderBy(desc(runs.createdAt), desc(runs.id))
    .limit(query.limit + 1)
    .all();
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const next_cursor =
    rows.length > query.limit && last ? encodeRunCursor({ createdAt: last.createdAt, id: last.id }) : null;
  const laneRows =
    page.length === 0
      ? []
      : db
          .select()
          .from(lanes)
          .where(
            inArray(
              lanes.runId,
              page.map((run) => run.id),
            ),
          )
          .orderBy(asc(lanes.index))
          .all();
  const lanesByRun = new Map<string, LaneBrief[]>();
  for (const lane of laneRows) {
    const list = lanesByRun.get(lane.runId) ?? [];
    list.push({
      lane_id: lane.laneId,
      agent_id: lane.agentId,
      agent_name: lane.agentName,
      backend: lane.backend,
      model: lane.model,
      status: lane.status,
    });
    lanesByRun.set(lane.runId, list);
  }
  return {
    runs: page.map((run) => ({ ...toRunHeader(run, publicUrl), lanes: lanesByRun.get(run.id) ?? [] })),
    next_cursor,
  };
}
