/**
 * Migrations never lose data: a database written by the first schema (migration 0000) is opened by
 * today's code, which applies every later migration, and each run, lane, result, event and agent is
 * still there with its values, readable through the API's views.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../../db/client.ts";
import { listEvents } from "../../../db/events.ts";
import { getRunView } from "../../../db/run-views.ts";

const migrations = join(import.meta.dirname, "../../../db/migrations");

/** a migrations folder holding only the first migration, as the first release shipped it */
function firstMigrationOnly(dir: string): string {
  const journal = JSON.parse(readFileSync(join(migrations, "meta/_journal.json"), "utf8"));
  const [first] = journal.entries;
  const folder = join(dir, "migrations-0000");
  mkdirSync(join(folder, "meta"), { recursive: true });
  copyFileSync(join(migrations, `${first.tag}.sql`), join(folder, `${first.tag}.sql`));
  writeFileSync(join(folder, "meta/_journal.json"), JSON.stringify({ ...journal, entries: [first] }));
  return folder;
}

const metrics = { primes_found: 78498, verified: true, elapsed_ms: 12.5 };

function writeFirstReleaseData(file: string, migrationsFolder: string): void {
  const sqlite = new Database(file);
  migrate(drizzle(sqlite), { migrationsFolder });
  sqlite
    .prepare("INSERT INTO agents VALUES (?, ?, ?, ?, ?, ?, ?)")
    .run("a1", "lab-1", "0.1.0", "offline", JSON.stringify({ cpu_model: "EPYC" }), "[]", 1000);
  sqlite
    .prepare("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    .run("r1", "compute", "done", JSON.stringify({ n: 1_000_000 }), 1, 0, 3, 1000, 1100, 1200);
  sqlite
    .prepare("INSERT INTO lanes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    .run("r1", "l0", 0, "a1", "lab-1", "compute", null, "{}", "done", null, 4, null, null);
  sqlite
    .prepare("INSERT INTO results (run_id, lane_id, position, repeat, warmup, metrics) VALUES (?, ?, ?, ?, ?, ?)")
    .run("r1", "l0", 0, 0, 0, JSON.stringify(metrics));
  const event = (seq: number, type: string, laneId: string | null, data: unknown) =>
    sqlite
      .prepare("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)")
      .run("r1", seq, 1000 + seq, type, laneId, JSON.stringify(data));
  event(1, "race-start", null, { seq: 1, at: 1001, event: { type: "race-start" } });
  event(2, "lane-event", "l0", { seq: 2, at: 1002, event: { type: "lane-event", lane_id: "l0" } });
  event(3, "race-finish", null, { seq: 3, at: 1003, event: { type: "race-finish", status: "done" } });
  sqlite.close();
}

describe("database migrations", () => {
  const dir = mkdtempSync(join(os.tmpdir(), "bench-migrations-"));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("bring a first-release database up to date without losing a row or a value", () => {
    const file = join(dir, "bench-race.db");
    writeFirstReleaseData(file, firstMigrationOnly(dir));

    const { db, sqlite, close } = openDatabase(file);
    try {
      const applied = sqlite.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number };
      const journal = JSON.parse(readFileSync(join(migrations, "meta/_journal.json"), "utf8"));
      expect(applied.n).toBe(journal.entries.length);

      const count = (table: string) => (sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      expect([count("agents"), count("runs"), count("lanes"), count("results"), count("events")]).toEqual([
        1, 1, 1, 1, 3,
      ]);
      expect(sqlite.prepare("SELECT name, hardware, last_seen_at FROM agents").get()).toEqual({
        name: "lab-1",
        hardware: JSON.stringify({ cpu_model: "EPYC" }),
        last_seen_at: 1000,
      });

      const run = getRunView(db, "r1", "http://127.0.0.1:8080");
      expect(run).toMatchObject({ id: "r1", workload: "compute", status: "done", params: { n: 1_000_000 } });
      expect(run?.lanes[0]).toMatchObject({ lane_id: "l0", agent_name: "lab-1", status: "done", start_skew_ms: 4 });
      expect(run?.lanes[0]?.results[0]?.metrics).toEqual(metrics);
      expect(listEvents(db, "r1").map((e) => e.seq)).toEqual([1, 2, 3]);
    } finally {
      close();
    }
  });
});
