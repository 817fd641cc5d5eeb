import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listEvents } from "../../../db/events.ts";
import { getRunView } from "../../../db/run-views.ts";
import { applyRunBatch } from "../../../db/runs.ts";
import { fixtureBatch, insertFixtureRun } from "../../helpers/api-race-fixture.ts";
import { createTestApi, operatorHeaders, type TestApi } from "../../helpers/api-test-app.ts";

describe("cancel and delete", () => {
  let api: TestApi;
  beforeEach(() => {
    api = createTestApi();
    insertFixtureRun(api.db, "live");
    applyRunBatch(api.db, fixtureBatch("live", 4));
    insertFixtureRun(api.db, "done");
    applyRunBatch(api.db, fixtureBatch("done"));
  });
  afterEach(() => api.close());

  const send = (method: string, path: string) => api.app.request(path, { method, headers: operatorHeaders });

  it("cancels a live run through its race room and answers 202 with the run", async () => {
    const res = await send("POST", "/api/runs/live/cancel");
    expect(res.status).toBe(202);
    expect((await res.json()).run).toMatchObject({ id: "live", status: "running" });
    expect(api.rooms.calls).toEqual([{ party: "race", roomId: "live", body: { type: "race-cancel" } }]);
  });

  it("refuses to cancel a finished run with 409", async () => {
    const res = await send("POST", "/api/runs/done/cancel");
    expect(res.status).toBe(409);
    expect((await res.json()).error).toEqual({
      code: "run_finished",
      message: "Run done is already done; only a pending or running run can be cancelled.",
    });
    expect(api.rooms.calls).toEqual([]);
  });

  it("answers 404 when cancelling or deleting an unknown run", async () => {
    expect((await send("POST", "/api/runs/nope/cancel")).status).toBe(404);
    expect((await send("DELETE", "/api/runs/nope")).status).toBe(404);
  });

  it("answers 503 when the race room cannot be reached to cancel", async () => {
    api.rooms.failWith = new Error("socket hang up");
    const res = await send("POST", "/api/runs/live/cancel");
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe("rooms_unavailable");
  });

  it("deletes a finished run with its lanes, results and events, without touching rooms", async () => {
    const res = await send("DELETE", "/api/runs/done");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ deleted: "done" });
    expect(api.rooms.calls).toEqual([]);
    expect(getRunView(api.db, "done", "http://x")).toBeNull();
    expect(listEvents(api.db, "done")).toEqual([]);
    expect(api.db.$client.prepare("SELECT count(*) FROM results WHERE run_id = 'done'").pluck().get()).toBe(0);
    expect(api.db.$client.prepare("SELECT count(*) FROM lanes WHERE run_id = 'done'").pluck().get()).toBe(0);
    expect(getRunView(api.db, "live", "http://x")?.lanes).toHaveLength(2);
    expect((await api.app.request("/api/runs/done")).status).toBe(404);
  });

  it("cancels a live run before deleting it, even when its room is gone", async () => {
    api.rooms.failWith = new Error("gone");
    const res = await send("DELETE", "/api/runs/live");
    expect(res.status).toBe(200);
    expect(api.rooms.calls).toEqual([{ party: "race", roomId: "live", body: { type: "race-cancel" } }]);
    expect(getRunView(api.db, "live", "http://x")).toBeNull();
    expect(applyRunBatch(api.db, fixtureBatch("live"))).toBe(false);
  });
});
