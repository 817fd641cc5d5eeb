import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApi } from "../../../coordinator/api/create-api.ts";
import { silentLogger } from "../../../coordinator/protocol/logger.ts";
import { applyRunBatch, insertRun } from "../../../db/runs.ts";
import { fixtureBatch, fixtureEvents, insertFixtureRun } from "../../helpers/api-race-fixture.ts";
import { createTestApi, seedAgent, type TestApi } from "../../helpers/api-test-app.ts";

describe("reading runs", () => {
  let api: TestApi;
  beforeEach(() => {
    api = createTestApi();
    insertFixtureRun(api.db, "run-1");
    applyRunBatch(api.db, fixtureBatch("run-1"));
  });
  afterEach(() => api.close());

  it("returns a run with lanes, results and summaries, and 404 for an unknown id", async () => {
    const res = await api.app.request("/api/runs/run-1");
    expect(res.status).toBe(200);
    const { run } = await res.json();
    expect(run).toMatchObject({ id: "run-1", status: "done", share_url: "http://127.0.0.1:8080/runs/run-1" });
    expect(run.started_at).toBe("2026-01-02T03:00:01.010Z");
    expect(run.lanes[1].agent_name).toBe('mac, "studio"');
    expect(run.lanes[1].results).toHaveLength(3);
    expect(run.lanes[1].summary.elapsed_ms.median).toBe(35);

    const missing = await api.app.request("/api/runs/nope");
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe("not_found");
  });

  it("lists runs newest first with a workload filter and cursor paging", async () => {
    for (const [id, at] of [
      ["old", 1000],
      ["new", 9e12],
    ] as const) {
      insertRun(api.db, {
        run: { id, workload: "compute", params: {}, repeats: 1, warmup: 0, created_at: at },
        lanes: [],
      });
    }
    const first = await (await api.app.request("/api/runs?limit=2")).json();
    expect(first.runs.map((r: { id: string }) => r.id)).toEqual(["new", "run-1"]);
    expect(first.runs[1]).toMatchObject({
      status: "done",
      lanes: [
        { agent_name: "box-one", backend: "compute", model: null, status: "done" },
        { agent_name: 'mac, "studio"', backend: "compute", model: null, status: "done" },
      ],
    });
    const second = await (await api.app.request(`/api/runs?limit=2&cursor=${first.next_cursor}`)).json();
    expect(second).toMatchObject({ runs: [{ id: "old" }], next_cursor: null });

    const llm = await (await api.app.request("/api/runs?workload=llm")).json();
    expect(llm).toEqual({ runs: [], next_cursor: null });
  });

  it("filters runs by creation date with since and until, and names a bad date", async () => {
    for (const [id, at, name] of [
      ["jan", Date.parse("2026-01-05T12:00:00Z"), "January race"],
      ["feb", Date.parse("2026-02-05T12:00:00Z"), null],
    ] as const) {
      insertRun(api.db, {
        run: { id, workload: "compute", params: {}, repeats: 1, warmup: 0, created_at: at },
        lanes: [],
        name,
      });
    }
    const ids = async (query: string) =>
      ((await (await api.app.request(`/api/runs?${query}`)).json()).runs as { id: string }[]).map((r) => r.id);
    expect(await ids("since=2026-01-03&until=2026-02-01")).toEqual(["jan"]);
    expect(await ids("since=2026-02-01T00:00:00Z")).toEqual(["feb"]);
    expect(await ids("until=2026-01-05T12:00:00Z")).toEqual(["run-1"]);
    // no offset: UTC, whatever the server's time zone
    expect(await ids("since=2026-01-05T11:59&until=2026-01-05T12:00:00.001")).toEqual(["jan"]);
    expect(await ids("since=2026-01-05T12:30:00%2B01:00&until=2026-01-05T13:00:01%2B01:00")).toEqual(["jan"]);
    const listed = await (await api.app.request("/api/runs?since=2026-01-01")).json();
    expect(listed.runs.map((r: { name: string | null }) => r.name)).toEqual([null, "January race", null]);
    const bad = await api.app.request("/api/runs?since=yesterday");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toContain("since must be an ISO 8601 date or time");
  });

  it("filters runs by status, by an agent's id or name, and by model, all on the server", async () => {
    const lane = (laneId: string, agent: string, model: string | null) => ({
      lane_id: laneId,
      index: Number(laneId.slice(1)),
      agent_id: `id-${agent}`,
      agent_name: agent,
      backend: model === null ? ("compute" as const) : ("ollama" as const),
      model,
      params: {},
    });
    insertRun(api.db, {
      run: { id: "llm-gpu", workload: "llm", params: {}, repeats: 1, warmup: 0, created_at: 5000 },
      lanes: [lane("l0", "gpu-box", "llama3"), lane("l1", "laptop", "qwen3")],
    });
    insertRun(api.db, {
      run: { id: "llm-laptop", workload: "llm", params: {}, repeats: 1, warmup: 0, created_at: 4000 },
      lanes: [lane("l0", "laptop", "llama3")],
    });
    const ids = async (query: string) =>
      (await (await api.app.request(`/api/runs?${query}`)).json()).runs.map((r: { id: string }) => r.id);

    expect(await ids("status=done")).toEqual(["run-1"]);
    expect(await ids("status=pending")).toEqual(["llm-gpu", "llm-laptop"]);
    expect(await ids("agent=laptop")).toEqual(["llm-gpu", "llm-laptop"]);
    expect(await ids("agent=id-gpu-box")).toEqual(["llm-gpu"]);
    expect(await ids("agent=box-one")).toEqual(["run-1"]);
    expect(await ids("model=llama3")).toEqual(["llm-gpu", "llm-laptop"]);
    expect(await ids("model=qwen3&agent=gpu-box")).toEqual([]);
    expect(await ids("model=qwen3&agent=laptop&workload=llm&status=pending")).toEqual(["llm-gpu"]);
    expect(await ids("agent=nobody")).toEqual([]);

    const badStatus = await api.app.request("/api/runs?status=finished");
    expect(badStatus.status).toBe(400);
    expect((await badStatus.json()).error.message).toMatch(/^status: /);
  });

  it("refuses a bad limit, workload or cursor by name", async () => {
    const tooMany = await api.app.request("/api/runs?limit=500");
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).error.message).toBe("limit: limit must be at most 200");
    const workload = await api.app.request("/api/runs?workload=video");
    expect((await workload.json()).error.message).toMatch(/^workload: /);
    const cursor = await api.app.request("/api/runs?cursor=garbage");
    expect((await cursor.json()).error).toEqual({
      code: "bad_request",
      message: "cursor: pass the next_cursor of the previous page as it came",
    });
  });

  it("streams every stored event as NDJSON in seq order", async () => {
    const res = await api.app.request("/api/runs/run-1/events");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/x-ndjson");
    const text = await res.text();
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.trimEnd().split("\n");
    expect(lines.map((line) => JSON.parse(line))).toEqual(fixtureEvents("run-1"));
    expect(lines.map((line) => JSON.parse(line).seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });

  it("exports CSV with one row per lane and pass, metric columns in DESIGN order, quoted names, then status, times, hardware and provenance", async () => {
    // a1 is in the fleet, so its hardware is known; a2 is not, so its hardware cells stay blank
    seedAgent(api.db, "a1", "box-one");
    const times = "done,2026-01-02T03:00:00.000Z,2026-01-02T03:00:01.010Z,2026-01-02T03:00:01.120Z";
    const a1 = `done,,,${times},Test CPU,8,17179869184,,linux,x64,0.1.0,compute,1,,false,,hw-a1`;
    const a2 = `done,,,${times},,,,,linux,,0.1.0,compute,1,,false,,hw-a2`;
    const res = await api.app.request("/api/runs/run-1/export.csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="bench-race-run-1.csv"');
    const header =
      "run_id,lane_id,agent_id,agent_name,backend,model,repeat,warmup,algorithm,n,threads_used,primes_found,elapsed_ms,primes_per_sec,verified," +
      "lane_status,lane_error_code,lane_error,run_status,run_created_at,run_started_at,run_finished_at," +
      "hw_cpu_model,hw_cpu_cores,hw_memory_bytes,hw_gpus,hw_os,hw_arch," +
      "agent_version,provenance_engine,engine_version,engine_host,remote_engine,model_digest,hardware_id";
    expect(await res.text()).toBe(
      [
        header,
        `run-1,l0,a1,box-one,compute,,0,true,segmented_sieve,1000,2,168,50,3360,true,${a1}`,
        `run-1,l0,a1,box-one,compute,,0,false,segmented_sieve,1000,2,168,10,16800,true,${a1}`,
        `run-1,l0,a1,box-one,compute,,1,false,segmented_sieve,1000,2,168,20,8400,true,${a1}`,
        `run-1,l1,a2,"mac, ""studio""",compute,,0,true,segmented_sieve,1000,2,168,60,2800,true,${a2}`,
        `run-1,l1,a2,"mac, ""studio""",compute,,0,false,segmented_sieve,1000,2,168,30,5600,true,${a2}`,
        `run-1,l1,a2,"mac, ""studio""",compute,,1,false,segmented_sieve,1000,2,168,40,4200,true,${a2}`,
        "",
      ].join("\r\n"),
    );
  });

  it("exports the same table as JSON", async () => {
    const res = await api.app.request("/api/runs/run-1/export.json");
    const body = await res.json();
    expect(body.run_id).toBe("run-1");
    expect(body.columns.slice(0, 9)).toEqual([
      "run_id",
      "lane_id",
      "agent_id",
      "agent_name",
      "backend",
      "model",
      "repeat",
      "warmup",
      "algorithm",
    ]);
    expect(body.rows).toHaveLength(6);
    expect(body.rows[4]).toEqual({
      run_id: "run-1",
      lane_id: "l1",
      agent_id: "a2",
      agent_name: 'mac, "studio"',
      backend: "compute",
      model: null,
      repeat: 0,
      warmup: false,
      algorithm: "segmented_sieve",
      n: 1000,
      threads_used: 2,
      primes_found: 168,
      elapsed_ms: 30,
      primes_per_sec: 5600,
      verified: true,
      lane_status: "done",
      lane_error_code: null,
      lane_error: null,
      run_status: "done",
      run_created_at: "2026-01-02T03:00:00.000Z",
      run_started_at: "2026-01-02T03:00:01.010Z",
      run_finished_at: "2026-01-02T03:00:01.120Z",
      hw_cpu_model: null,
      hw_cpu_cores: null,
      hw_memory_bytes: null,
      hw_gpus: null,
      hw_os: "linux",
      hw_arch: null,
      agent_version: "0.1.0",
      provenance_engine: "compute",
      engine_version: "1",
      engine_host: null,
      remote_engine: false,
      model_digest: null,
      hardware_id: "hw-a2",
    });
  });

  it("404s the events and exports of an unknown run", async () => {
    for (const path of ["/api/runs/nope/events", "/api/runs/nope/export.csv", "/api/runs/nope/export.json"]) {
      const res = await api.app.request(path);
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe("not_found");
    }
  });

  it("reads the public URL on every request, so it can be set once the port is bound", async () => {
    let publicUrl = "";
    const app = createApi({
      db: api.db,
      operatorKey: "k",
      rooms: api.rooms,
      log: silentLogger,
      version: "1",
      mode: "local",
      get publicUrl() {
        return publicUrl;
      },
    });
    publicUrl = "http://127.0.0.1:41234";
    const { run } = await (await app.request("/api/runs/run-1")).json();
    expect(run.share_url).toBe("http://127.0.0.1:41234/runs/run-1");
  });
});
