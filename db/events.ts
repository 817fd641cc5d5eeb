/**
 * The stored events of each run. Events arrive in batches of hundreds during a race, so they go in
 * through one prepared statement reused per connection (drizzle row-by-row inserts were 7x slower).
 */
import { asc, eq } from "drizzle-orm";
import type { StoredEvent } from "../coordinator/protocol/race-state.ts";
import type { Db } from "./client.ts";
import { preparedOnce } from "./prepared-once.ts";
import { events } from "./schema.ts";

const insertStatement = preparedOnce(
  "INSERT INTO events (run_id, seq, at, type, lane_id, data) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, seq) DO NOTHING",
);

const laneIdOf = (stored: StoredEvent): string | null =>
  stored.event.type === "lane-event" || stored.event.type === "lane-lost" ? stored.event.lane_id : null;

/** Inserts events of one run, skipping any (run_id, seq) already stored. Call inside a transaction. */
export function insertEvents(db: Db, runId: string, batch: readonly StoredEvent[]): void {
  const statement = insertStatement(db.$client);
  for (const stored of batch) {
    statement.run(runId, stored.seq, stored.at, stored.event.type, laneIdOf(stored), JSON.stringify(stored));
  }
}

/** Every stored event of a run, in seq order. */
export function listEvents(db: Db, runId: string): StoredEvent[] {
  return db
    .select({ data: events.data })
    .from(events)
    .where(eq(events.runId, runId))
    .orderBy(asc(events.seq))
    .all()
    .map((row) => row.data);
}
