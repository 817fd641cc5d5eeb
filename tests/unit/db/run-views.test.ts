import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Db, openDatabase } from "../../../db/client.ts";
import { getRunView, listRuns } from "../../../db/run-views.ts";
import { insertRun } from "../../../db/runs.ts";

const addRun = (db: Db, id: string, createdAt: number, workload: "compute" | "llm" = "compute") =>
  insertRun(db, {
    run: { id, workload, params: { n: 100 }, repeats: 1, warmup: 0, created_at: createdAt },
    lanes: [
      {
        lane_id: "l0",
        index: 0,
        agent_id: "a1",
        agent_name: "box",
        backend: workload === "llm" ? "ollama" : "compute",
        model: null,
        params: {},
      },
    ],
  });

describe("run views", () => {
  let db: Db;
  let close: () => void;
  beforeEach(() => {
    ({ db, close } = openDatabase(":memory:"));
    addRun(db, "a", 1000);
    addRun(db, "b", 3000, "llm");
    addRun(db, "c", 2000);
    addRun(db, "d", 3000);
    addRun(db, "e", 500);
  });
  afterEach(() => close());

  it("lists runs newest first, ties broken by id, with lanes in brief and share links", () => {
    const page = listRuns(db, { limit: 50 }, "https://race.example/");
    expect(page.runs.map((r) => r.id)).toEqual(["d", "b", "c", "a", "e"]);
    expect(page.next_cursor).toBeNull();
    expect(page.runs[0]).toMatchObject({
      share_url: "https://race.example/runs/d",
      created_at: "1970-01-01T00:00:03.000Z",
      started_at: null,
      lanes: [{ lane_id: "l0", agent_id: "a1", agent_name: "box", backend: "compute", model: null, status: "pending" }],
    });
  });

  it("pages with the cursor until the last page", () => {
    const first = listRuns(db, { limit: 2 }, "http://x");
    expect(first.runs.map((r) => r.id)).toEqual(["d", "b"]);
    const second = listRuns(db, { limit: 2, cursor: first.next_cursor ?? "" }, "http://x");
    expect(second.runs.map((r) => r.id)).toEqual(["c", "a"]);
    const third = listRuns(db, { limit: 2, cursor: second.next_cursor ?? "" }, "http://x");
    expect(third.runs.map((r) => r.id)).toEqual(["e"]);
    expect(third.next_cursor).toBeNull();
  });

  it("filters by workload", () => {
    expect(listRuns(db, { limit: 50, workload: "llm" }, "http://x").runs.map((r) => r.id)).toEqual(["b"]);
    expect(listRuns(db, { limit: 2, workload: "compute" }, "http://x").runs.map((r) => r.id)).toEqual(["d", "c"]);
  });

  it("throws on a cursor it did not write", () => {
    expect(() => listRuns(db, { limit: 2, cursor: "nonsense" }, "http://x")).toThrow(/next_cursor/);
  });

  it("returns null for an unknown run and ISO times for a known one", () => {
    expect(getRunView(db, "zzz", "http://x")).toBeNull();
    expect(getRunView(db, "a", "http://x")).toMatchObject({
      id: "a",
      status: "pending",
      created_at: "1970-01-01T00:00:01.000Z",
      share_url: "http://x/runs/a",
      lanes: [{ lane_id: "l0", results: [], summary: null, error: null }],
    });
  });
});
