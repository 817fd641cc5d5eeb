import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../../db/client.ts";
import { parseDatabaseUrl } from "../../../db/database-url.ts";
import { listEvents } from "../../../db/events.ts";
import { getRunView } from "../../../db/run-views.ts";
import { applyRunBatch } from "../../../db/runs.ts";
import { fixtureBatch, insertFixtureRun } from "../../helpers/api-race-fixture.ts";

const dir = mkdtempSync(join(os.tmpdir(), "bench-race-libsql-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("DATABASE_URL", () => {
  it("keeps better-sqlite3 in the data dir when unset, and picks libSQL for file: and libsql://", () => {
    expect(parseDatabaseUrl(undefined, "/srv/bench")).toEqual({
      engine: "better-sqlite3",
      file: "/srv/bench/bench-race.db",
    });
    expect(parseDatabaseUrl("file:/var/lib/bench/runs.db", "/srv/bench")).toEqual({
      engine: "libsql",
      file: "/var/lib/bench/runs.db",
    });
    expect(parseDatabaseUrl("libsql://bench-you.turso.io", "/srv/bench", "token")).toEqual({
      engine: "libsql",
      file: "/srv/bench/bench-race-replica.db",
      syncUrl: "libsql://bench-you.turso.io",
      authToken: "token",
    });
  });

  it("refuses a URL that is not libSQL, naming the forms it takes", () => {
    expect(() => parseDatabaseUrl("postgres://db/bench", "/srv/bench")).toThrow(
      "DATABASE_URL postgres://db/bench is not a libSQL URL: use file:PATH for a local file or libsql://HOST",
    );
  });
});

describe("the store on libSQL (DATABASE_URL=file:)", () => {
  it("migrates the same schema, stores a race, and reads it back after reopening", () => {
    const location = parseDatabaseUrl(`file:${join(dir, "store.db")}`, dir);
    const first = openDatabase(location);
    insertFixtureRun(first.db, "run-1");
    expect(applyRunBatch(first.db, fixtureBatch("run-1"))).toBe(true);
    // the same batch again changes nothing: writes are idempotent
    expect(applyRunBatch(first.db, fixtureBatch("run-1"))).toBe(true);
    const before = getRunView(first.db, "run-1", "http://x");
    const eventCount = listEvents(first.db, "run-1").length;
    first.close();

    const again = openDatabase(location);
    const view = getRunView(again.db, "run-1", "http://x");
    expect(view?.status).toBe("done");
    expect(view?.lanes[0]?.results.map((r) => [r.repeat, r.warmup, r.metrics.elapsed_ms])).toEqual([
      [0, true, 50],
      [0, false, 10],
      [1, false, 20],
    ]);
    expect(view).toEqual(before);
    expect(listEvents(again.db, "run-1").map((e) => e.seq)).toEqual(
      Array.from({ length: eventCount }, (_, i) => i + 1),
    );
    again.close();
  });
});
