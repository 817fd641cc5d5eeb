/**
 * Hardware snapshots by content hash: written the first time an id is seen and never changed, so
 * a result's `provenance.hardware_id` always finds the machine as it was when the result was made.
 */
import { eq, inArray } from "drizzle-orm";
import type { Hardware } from "../coordinator/protocol/hardware.ts";
import type { Db } from "./client.ts";
import { hardwareSnapshots } from "./schema.ts";

/** Stores the snapshot unless its id is stored already (then the stored one stays as it is). */
export function saveHardwareSnapshot(db: Db, id: string, hardware: Hardware, agentId: string, now: number): void {
  db.insert(hardwareSnapshots).values({ id, hardware, agentId, firstSeenAt: now }).onConflictDoNothing().run();
}

export function findHardwareSnapshot(db: Db, id: string): Hardware | null {
  return db.select().from(hardwareSnapshots).where(eq(hardwareSnapshots.id, id)).get()?.hardware ?? null;
}

/** The stored snapshots among `ids`, by id. */
export function findHardwareSnapshots(db: Db, ids: readonly string[]): Map<string, Hardware> {
  if (ids.length === 0) return new Map();
  const rows = db
    .select()
    .from(hardwareSnapshots)
    .where(inArray(hardwareSnapshots.id, [...ids]))
    .all();
  return new Map(rows.map((row) => [row.id, row.hardware]));
}
