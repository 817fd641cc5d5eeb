/** Queries of the images agents upload for their lanes: who may upload, and what a run holds. */
import { and, count, eq } from "drizzle-orm";
import type { ImageMediaType } from "../coordinator/protocol/image.ts";
import type { Db } from "./client.ts";
import { lanes, runImages, runs } from "./schema.ts";

export interface LaneOwner {
  agentId: string;
  runStatus: string;
  laneStatus: string;
  /** the lane's effective workload parameters */
  params: Record<string, unknown>;
  /** passes the lane runs, warm-up ones included */
  passes: number;
}

/** The agent a run's lane belongs to, with the run's and lane's status; null when there is no such lane. */
export function findLaneOwner(db: Db, runId: string, laneId: string): LaneOwner | null {
  const row = db
    .select({
      agentId: lanes.agentId,
      laneStatus: lanes.status,
      runStatus: runs.status,
      params: lanes.params,
      repeats: runs.repeats,
      warmup: runs.warmup,
    })
    .from(lanes)
    .innerJoin(runs, eq(runs.id, lanes.runId))
    .where(and(eq(lanes.runId, runId), eq(lanes.laneId, laneId)))
    .get();
  if (!row) return null;
  const { repeats, warmup, ...owner } = row;
  return { ...owner, passes: repeats + warmup };
}

/** How many images a run's lane has stored. */
export function countLaneImages(db: Db, runId: string, laneId: string): number {
  const row = db
    .select({ n: count() })
    .from(runImages)
    .where(and(eq(runImages.runId, runId), eq(runImages.laneId, laneId)))
    .get();
  return row?.n ?? 0;
}

export function addRunImage(
  db: Db,
  image: { runId: string; laneId: string; sha256: string; mediaType: ImageMediaType; bytes: number; createdAt: number },
): void {
  db.insert(runImages).values(image).onConflictDoNothing().run();
}

/** Whether any run holds an image with this content hash. */
export function isImageHeld(db: Pick<Db, "select">, sha256: string): boolean {
  return db.select({ runId: runImages.runId }).from(runImages).where(eq(runImages.sha256, sha256)).get() !== undefined;
}

/** A run's stored image by content hash; null when the run holds none with that hash. */
export function findRunImage(
  db: Db,
  runId: string,
  sha256: string,
): { mediaType: ImageMediaType; bytes: number } | null {
  const row = db
    .select({ mediaType: runImages.mediaType, bytes: runImages.bytes })
    .from(runImages)
    .where(and(eq(runImages.runId, runId), eq(runImages.sha256, sha256)))
    .get();
  return row ?? null;
}
