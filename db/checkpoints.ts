/** The operator's checkpoint list for image races. */
import { asc } from "drizzle-orm";
import type { CheckpointSpec } from "../coordinator/protocol/checkpoint.ts";
import type { Db } from "./client.ts";
import { checkpoints } from "./schema.ts";

export function listCheckpoints(db: Db): CheckpointSpec[] {
  return db
    .select()
    .from(checkpoints)
    .orderBy(asc(checkpoints.createdAt), asc(checkpoints.name))
    .all()
    .map((row) => ({
      name: row.name,
      label: row.label,
      url: row.url,
      sha256: row.sha256,
      allow_private: row.allowPrivate,
    }));
}

/** Replaces the whole list in one transaction. */
export function replaceCheckpoints(db: Db, list: readonly CheckpointSpec[], now: number): void {
  db.transaction((tx) => {
    tx.delete(checkpoints).run();
    list.forEach((spec, i) => {
      tx.insert(checkpoints)
        .values({ ...spec, allowPrivate: spec.allow_private, createdAt: now + i })
        .run();
    });
  });
}
