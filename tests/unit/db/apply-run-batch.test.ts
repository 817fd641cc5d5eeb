import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Db, openDatabase } from "../../../db/client.ts";
import { listEvents } from "../../../db/events.ts";
import { getRunView } from "../../../db/run-views.ts";
import { applyRunBatch } from "../../../db/runs.ts";
import { events, lanes, results, runs } from "../../../db/schema.ts";
import { fixtureBatch, fixtureEvents, fixtureStart, insertFixtureRun } from "../../helpers/api-race-fixture.ts";

const snapshot = (db: Db) => ({
  runs: db.select().from(runs).all(),
  lanes: db.select().from(lanes).orderBy(asc(lanes.index)).all(),
  results: db
    .select({ laneId: results.laneId, position: results.position, repeat: results.repeat, warmup: results.warmup })
    .from(results)
    .orderBy(asc(results.laneId), asc(results.position))
    .all(),
  events: db.select({ seq: events.seq, type: events.type, laneId: events.laneId }).from(events).all(),
});

describe("applyRunBatch", () => {
  let db: Db;
  let close: () => void;
  beforeEach(() => {
    ({ db, close } = openDatabase(":memory:"));
    insertFixtureRun(db, "run-1");
  });
  afterEach(() => close());

  it("projects the race state onto the run, its lanes and their results", () => {
    expect(applyRunBatch(db, fixtureBatch("run-1"))).toBe(true);
    const run = db.select().from(runs).where(eq(runs.id, "run-1")).get();
    expect(run).toMatchObject({
      status: "done",
      startedAt: fixtureStart + 1010,
      finishedAt: fixtureStart + 1000 + 12 * 10,
    });
    const view = getRunView(db, "run-1", "http://x");
    const lane0 = view?.lanes[0];
    expect(lane0?.status).toBe("done");
    expect(lane0?.start_skew_ms).toBe(10);
    expect(lane0?.provenance?.hardware_id).toBe("hw-a1");
    expect(lane0?.results.map((r) => [r.repeat, r.warmup, r.metrics.elapsed_ms])).toEqual([
      [0, true, 50],
      [0, false, 10],
      [1, false, 20],
    ]);
    expect(lane0?.summary?.elapsed_ms).toEqual({
      n: 2,
      median: 15,
      mean: 15,
      stdev: Math.sqrt(50),
      min: 10,
      max: 20,
      p95: 20,
    });
    expect(view?.lanes[1]?.summary?.elapsed_ms?.mean).toBe(35);
  });

  it("stores every event once, with its type and lane, in seq order", () => {
    applyRunBatch(db, fixtureBatch("run-1"));
    const stored = listEvents(db, "run-1");
    expect(stored).toEqual(fixtureEvents("run-1"));
    const rows = snapshot(db).events;
    expect(rows[0]).toEqual({ seq: 1, type: "race-setup", laneId: null });
    expect(rows[2]).toEqual({ seq: 3, type: "lane-event", laneId: "l0" });
  });

  it("changes nothing when the same batch is applied twice", () => {
    applyRunBatch(db, fixtureBatch("run-1"));
    const once = snapshot(db);
    applyRunBatch(db, fixtureBatch("run-1"));
    expect(snapshot(db)).toEqual(once);
    expect(once.events).toHaveLength(13);
    expect(once.results).toHaveLength(6);
  });

  it("applies overlapping batches without duplicating events or results", () => {
    applyRunBatch(db, fixtureBatch("run-1", 5));
    expect(snapshot(db).runs[0]?.status).toBe("running");
    expect(snapshot(db).results).toHaveLength(2);
    applyRunBatch(db, fixtureBatch("run-1"));
    const after = snapshot(db);
    expect(after.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(after.results).toHaveLength(6);
    expect(after.runs[0]?.status).toBe("done");
  });

  it("keeps the newer projection when an older batch arrives late", () => {
    applyRunBatch(db, fixtureBatch("run-1"));
    const latest = snapshot(db);
    applyRunBatch(db, fixtureBatch("run-1", 5));
    expect(snapshot(db)).toEqual(latest);
  });

  it("ignores a batch for a run that is not stored", () => {
    expect(applyRunBatch(db, fixtureBatch("gone"))).toBe(false);
    expect(listEvents(db, "gone")).toEqual([]);
  });
});
