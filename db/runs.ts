/**
 * Writes to the run aggregate (a run, its lanes, their results and events): creation, the run sink
 * that projects each room batch, deletion, and the start-up sweep of runs a restart cut short.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { RunBatch } from "../coordinator/protocol/api.ts";
import { type RunStatus, terminalRunStatuses } from "../coordinator/protocol/enums.ts";
import type { JobError } from "../coordinator/protocol/job.ts";
import type { LaneRecord, LaneSetup, RunInfo } from "../coordinator/protocol/race-state.ts";
import { summarizeResults } from "../coordinator/protocol/summary.ts";
import type { Db } from "./client.ts";
import { insertEvents } from "./events.ts";
import { isImageHeld } from "./run-images.ts";
import { insertRunSamples } from "./run-samples.ts";
import { events, lanes, results, runImages, runs, type StoredSummary } from "./schema.ts";

export interface NewRun {
  run: RunInfo;
  lanes: readonly LaneSetup[];
  /** a finished run of the same workload to race against as ghost lanes */
  ghostRunId?: string | null;
  /** the race's name as the operator gave it */
  name?: string | null;
}

const laneSetupRow = (runId: string, lane: LaneSetup) => ({
  runId,
  laneId: lane.lane_id,
  index: lane.index,
  agentId: lane.agent_id,
  agentName: lane.agent_name,
  backend: lane.backend,
  model: lane.model,
  params: lane.params,
});

/** Stores a new run and its lanes, all pending. */
export function insertRun(db: Db, { run, lanes: laneSetups, ghostRunId = null, name = null }: NewRun): void {
  db.transaction((tx) => {
    tx.insert(runs)
      .values({
        id: run.id,
        workload: run.workload,
        status: "pending",
        params: run.params,
        repeats: run.repeats,
        warmup: run.warmup,
        ghostRunId,
        name,
        createdAt: run.created_at,
      })
      .run();
    if (laneSetups.length > 0) {
      tx.insert(lanes)
        .values(laneSetups.map((lane) => ({ ...laneSetupRow(run.id, lane), status: "pending" as const })))
        .run();
    }
  });
}

const isTerminalRun = (status: RunStatus): boolean => terminalRunStatuses.includes(status);

function laneSummary(lane: LaneRecord): StoredSummary | null {
  const summary = summarizeResults(lane.results);
  if (!summary) return null;
  return Object.fromEntries(Object.entries(summary).map(([name, s]) => [name, { ...s }]));
}

/**
 * The run sink: stores the batch's events (duplicates ignored), projects the run's status and
 * times, and writes the lanes that changed with their new results (results only grow, so a result
 * already stored at its position is kept). Applying a batch twice changes nothing; a batch older
 * than the last projected one only adds its events. Returns false for a run that is not stored
 * (e.g. deleted while its room was still live).
 */
export function applyRunBatch(db: Db, batch: RunBatch): boolean {
  return db.transaction((tx) => {
    const current = tx
      .select({ status: runs.status, stateSeq: runs.stateSeq })
      .from(runs)
      .where(eq(runs.id, batch.run_id))
      .get();
    if (!current) return false;
    insertEvents(db, batch.run_id, batch.events);
    insertRunSamples(db, batch.run_id, batch.samples ?? []);
    const { run } = batch;
    if (run.seq < current.stateSeq) return true;
    // A run the API already closed (e.g. failed to reach its room) is not reopened by a late batch.
    const status = isTerminalRun(current.status) && !isTerminalRun(run.status) ? current.status : run.status;
    tx.update(runs)
      .set({ status, stateSeq: run.seq, startedAt: run.started_at, finishedAt: run.finished_at })
      .where(eq(runs.id, batch.run_id))
      .run();
    for (const lane of batch.lanes) {
      const projection = {
        status: lane.status,
        error: lane.error,
        startAt: lane.start_at,
        startSkewMs: lane.start_skew_ms,
        startSkewUncertaintyMs: lane.start_skew_uncertainty_ms,
        clockOffsetMs: lane.clock_offset_ms,
        ranAfter: lane.ran_after,
        startNote: lane.start_note,
        provenance: lane.provenance,
        summary: laneSummary(lane),
      };
      tx.insert(lanes)
        .values({ ...laneSetupRow(batch.run_id, lane), ...projection })
        .onConflictDoUpdate({ target: [lanes.runId, lanes.laneId], set: projection })
        .run();
      if (lane.results.length === 0) continue;
      tx.insert(results)
        .values(
          lane.results.map((result, position) => ({
            runId: batch.run_id,
            laneId: lane.lane_id,
            position,
            repeat: result.repeat,
            warmup: result.warmup,
            metrics: result.metrics,
            output: result.output ?? null,
            timeline: result.timeline ?? null,
            images: result.images ?? null,
          })),
        )
        .onConflictDoNothing()
        .run();
    }
    return true;
  });
}

/** True when a run with this id is stored. */
export function runExists(db: Db, id: string): boolean {
  return db.select({ id: runs.id }).from(runs).where(eq(runs.id, id)).get() !== undefined;
}

/**
 * Deletes a run with its lanes, results, events and image records. Returns false when there was no
 * such run, else the content hashes of its images that no other run holds (their files can go).
 */
export function deleteRun(db: Db, id: string): false | { orphanImages: string[] } {
  return db.transaction((tx) => {
    const hashes = tx.select({ sha256: runImages.sha256 }).from(runImages).where(eq(runImages.runId, id)).all();
    tx.delete(runImages).where(eq(runImages.runId, id)).run();
    const orphanImages = hashes.map((h) => h.sha256).filter((sha256) => !isImageHeld(tx, sha256));
    tx.delete(events).where(eq(events.runId, id)).run();
    tx.delete(results).where(eq(results.runId, id)).run();
    tx.delete(lanes).where(eq(lanes.runId, id)).run();
    return tx.delete(runs).where(eq(runs.id, id)).run().changes > 0 ? { orphanImages } : false;
  });
}

const restartError: JobError = {
  code: "coordinator_restarted",
  message: "The coordinator restarted while this lane was under way, so its race was cut short; start the race again.",
};

/**
 * At start-up no room survives from the previous process: runs still pending or running become
 * interrupted and their unfinished lanes lost. Returns the ids of the runs it closed.
 */
export function markUnfinishedRunsInterrupted(db: Db, now: number): string[] {
  return db.transaction((tx) => {
    const unfinished = tx
      .select({ id: runs.id })
      .from(runs)
      .where(inArray(runs.status, ["pending", "running"]))
      .all()
      .map((row) => row.id);
    if (unfinished.length === 0) return [];
    tx.update(runs).set({ status: "interrupted", finishedAt: now }).where(inArray(runs.id, unfinished)).run();
    tx.update(lanes)
      .set({ status: "lost", error: restartError })
      .where(and(inArray(lanes.runId, unfinished), inArray(lanes.status, ["pending", "running"])))
      .run();
    return unfinished;
  });
}

/** Closes a run that could not start (e.g. its room was unreachable): failed, with the error on each unfinished lane. */
export function markRunFailed(db: Db, id: string, error: JobError, now: number): void {
  db.transaction((tx) => {
    tx.update(runs).set({ status: "failed", finishedAt: now }).where(eq(runs.id, id)).run();
    tx.update(lanes)
      .set({ status: "failed", error })
      .where(and(eq(lanes.runId, id), inArray(lanes.status, ["pending", "running"])))
      .run();
  });
}

/** Ids of the runs still pending or running that have a lane on this agent. */
export function liveRunsOfAgent(db: Db, agentId: string): string[] {
  return db
    .selectDistinct({ id: runs.id })
    .from(runs)
    .innerJoin(lanes, eq(lanes.runId, runs.id))
    .where(and(eq(lanes.agentId, agentId), inArray(runs.status, ["pending", "running"])))
    .all()
    .map((row) => row.id);
}
