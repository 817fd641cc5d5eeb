import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Db, openDatabase } from "../../../db/client.ts";
import { getRunView } from "../../../db/run-views.ts";
import { applyRunBatch, markUnfinishedRunsInterrupted } from "../../../db/runs.ts";
import { fixtureBatch, insertFixtureRun } from "../../helpers/api-race-fixture.ts";

describe("markUnfinishedRunsInterrupted", () => {
  let db: Db;
  let close: () => void;
  beforeEach(() => {
    ({ db, close } = openDatabase(":memory:"));
  });
  afterEach(() => close());

  it("interrupts pending and running runs and loses their unfinished lanes, leaving finished runs alone", () => {
    insertFixtureRun(db, "pending-run");
    insertFixtureRun(db, "running-run");
    // lane l0 finished, lane l1 still running
    applyRunBatch(db, fixtureBatch("running-run", 8));
    insertFixtureRun(db, "done-run");
    applyRunBatch(db, fixtureBatch("done-run"));

    const closed = markUnfinishedRunsInterrupted(db, 5_000);
    expect(closed.sort()).toEqual(["pending-run", "running-run"]);

    const running = getRunView(db, "running-run", "http://x");
    expect(running?.status).toBe("interrupted");
    expect(running?.finished_at).toBe(new Date(5_000).toISOString());
    expect(running?.lanes.map((l) => l.status)).toEqual(["done", "lost"]);
    expect(running?.lanes[1]?.error?.code).toBe("coordinator_restarted");
    expect(running?.lanes[1]?.error?.message).toContain("coordinator restarted");
    expect(getRunView(db, "pending-run", "http://x")?.lanes.map((l) => l.status)).toEqual(["lost", "lost"]);
    expect(getRunView(db, "done-run", "http://x")?.status).toBe("done");
    expect(markUnfinishedRunsInterrupted(db, 6_000)).toEqual([]);
  });

  it("does not let a late batch reopen an interrupted run", () => {
    insertFixtureRun(db, "r");
    markUnfinishedRunsInterrupted(db, 5_000);
    applyRunBatch(db, fixtureBatch("r", 5));
    expect(getRunView(db, "r", "http://x")?.status).toBe("interrupted");
  });
});
