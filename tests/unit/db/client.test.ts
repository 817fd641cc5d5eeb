import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../../db/client.ts";

describe("openDatabase", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("creates the folder, turns on WAL and foreign keys, and migrates; reopening keeps the data", () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-race-db-"));
    dirs.push(dir);
    const file = join(dir, "nested", "bench-race.db");
    const first = openDatabase(file);
    expect(first.sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(first.sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    first.sqlite
      .prepare(
        "INSERT INTO agents (id, name, version, status, hardware, backends, last_seen_at) VALUES ('a', 'box', '1', 'online', '{}', '{}', 1)",
      )
      .run();
    first.close();
    const second = openDatabase(file);
    expect(second.sqlite.prepare("SELECT name FROM agents").pluck().all()).toEqual(["box"]);
    second.close();
  });

  it("opens a fresh in-memory database with every table", () => {
    const { sqlite, close } = openDatabase(":memory:");
    const tables = sqlite
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%' ORDER BY name",
      )
      .pluck()
      .all();
    expect(tables).toEqual([
      "agents",
      "checkpoints",
      "events",
      "hardware_snapshots",
      "lab_settings",
      "lanes",
      "results",
      "run_images",
      "run_samples",
      "runs",
    ]);
    close();
  });
});
