import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiError } from "../../../coordinator/api/api-error.ts";
import { listRuns } from "../../../db/run-views.ts";
import { applyRunBatch } from "../../../db/runs.ts";
import { createTestApi, postJson, seedAgent, type TestApi, testNow } from "../../helpers/api-test-app.ts";

const expectError = async (res: Response, status: number, code: string, message: string | RegExp) => {
  expect(res.status).toBe(status);
  const body = await res.json();
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(message);
};

describe("POST /api/runs", () => {
  let api: TestApi;
  beforeEach(() => {
    api = createTestApi();
    seedAgent(api.db, "agent-1", "box-one");
    seedAgent(api.db, "agent-2", "box-two", "busy");
    seedAgent(api.db, "agent-3", "sleepy", "offline");
  });
  afterEach(() => api.close());

  it("stores the run, opens its race room, dispatches the agents and answers 201", async () => {
    const res = await postJson(api, "/api/runs", {
      workload: "compute",
      agents: ["box-one", "agent-2"],
      params: { n: 100000, threads: 2 },
      repeats: 3,
      warmup: 1,
    });
    expect(res.status).toBe(201);
    const { run } = await res.json();
    expect(run.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(run).toMatchObject({
      workload: "compute",
      status: "pending",
      repeats: 3,
      warmup: 1,
      params: { algorithm: "segmented_sieve", n: 100000, threads: 2, progress_interval_s: 1 },
      share_url: `http://127.0.0.1:8080/runs/${run.id}`,
      created_at: new Date(testNow).toISOString(),
      started_at: null,
    });
    expect(
      run.lanes.map((l: { lane_id: string; agent_id: string; agent_name: string; backend: string }) => [
        l.lane_id,
        l.agent_id,
        l.agent_name,
        l.backend,
      ]),
    ).toEqual([
      ["l0", "agent-1", "box-one", "compute"],
      ["l1", "agent-2", "box-two", "compute"],
    ]);
    expect(run.lanes[0].model).toBeNull();
    expect(run.lanes[0].status).toBe("pending");

    expect(api.rooms.calls.map((c) => [c.party, c.roomId, c.body.type])).toEqual([
      ["race", run.id, "race-open"],
      ["lab", "main", "lab-dispatch"],
    ]);
    const open = api.rooms.calls[0]?.body;
    if (open?.type !== "race-open") throw new Error("expected race-open");
    expect(open.setup.type).toBe("race-setup");
    expect(open.setup.run).toEqual({
      id: run.id,
      workload: "compute",
      params: { algorithm: "segmented_sieve", n: 100000, threads: 2, progress_interval_s: 1 },
      repeats: 3,
      warmup: 1,
      created_at: testNow,
      deadline_s: 14_400,
    });
    expect(open.setup.lanes[1]).toEqual({
      lane_id: "l1",
      index: 1,
      agent_id: "agent-2",
      agent_name: "box-two",
      backend: "compute",
      model: null,
      params: { algorithm: "segmented_sieve", n: 100000, threads: 2, progress_interval_s: 1 },
    });
    expect(api.rooms.calls[1]?.body).toEqual({
      type: "lab-dispatch",
      run_id: run.id,
      agent_ids: ["agent-1", "agent-2"],
    });

    const stored = await (await api.app.request(`/api/runs/${run.id}`)).json();
    expect(stored.run).toEqual(run);
  });

  it("gives every run a different id", async () => {
    const body = { workload: "compute", agents: ["box-one"], params: { n: 100 } };
    const a = await (await postJson(api, "/api/runs", body)).json();
    const b = await (await postJson(api, "/api/runs", body)).json();
    expect(a.run.id).not.toBe(b.run.id);
  });

  it("merges per-lane params over the run's and dispatches each agent once", async () => {
    const res = await postJson(api, "/api/runs", {
      workload: "compute",
      params: { n: 1000 },
      lanes: [
        { agent: "box-one", params: { algorithm: "trial_division" } },
        { agent: "box-one", params: { n: 5000, threads: 1 } },
      ],
    });
    expect(res.status).toBe(201);
    const { run } = await res.json();
    expect(run.lanes.map((l: { params: unknown }) => l.params)).toEqual([
      { algorithm: "trial_division", n: 1000, progress_interval_s: 1 },
      { algorithm: "segmented_sieve", n: 5000, threads: 1, progress_interval_s: 1 },
    ]);
    expect(api.rooms.calls[1]?.body).toMatchObject({ agent_ids: ["agent-1"] });
  });

  it("names params.n when n is too small", async () => {
    const res = await postJson(api, "/api/runs", { workload: "compute", agents: ["box-one"], params: { n: 5 } });
    await expectError(res, 400, "bad_request", "params.n: n must be at least 10");
    expect(api.rooms.calls).toEqual([]);
    expect(listRuns(api.db, { limit: 10 }, "http://x").runs).toEqual([]);
  });

  it("names params.n when n is over the algorithm's maximum", async () => {
    const res = await postJson(api, "/api/runs", {
      workload: "compute",
      agents: ["box-one"],
      params: { n: 2e8, algorithm: "trial_division" },
    });
    await expectError(res, 400, "bad_request", /^params\.n: n must be at most 1e\+8 for trial_division/);
  });

  it("names the lane when a lane override is invalid", async () => {
    const res = await postJson(api, "/api/runs", {
      workload: "compute",
      params: { n: 100 },
      lanes: [{ agent: "box-one" }, { agent: "box-two", params: { threads: 0 } }],
    });
    await expectError(res, 400, "bad_request", "lanes[1].params.threads: threads must be at least 1");
  });

  it("names params.threads when threads is 0", async () => {
    const res = await postJson(api, "/api/runs", {
      workload: "compute",
      agents: ["box-one"],
      params: { n: 100, threads: 0 },
    });
    await expectError(res, 400, "bad_request", "params.threads: threads must be at least 1");
  });

  it("names agents when neither agents nor lanes are given", async () => {
    const res = await postJson(api, "/api/runs", { workload: "compute", params: { n: 100 } });
    await expectError(res, 400, "bad_request", /^agents: give either agents/);
  });

  it("names repeats when it is out of range", async () => {
    const res = await postJson(api, "/api/runs", {
      workload: "compute",
      agents: ["box-one"],
      params: { n: 100 },
      repeats: 0,
    });
    await expectError(res, 400, "bad_request", /^repeats: /);
  });

  it("names an unknown agent and lists the known ones", async () => {
    const res = await postJson(api, "/api/runs", {
      workload: "compute",
      agents: ["box-one", "ghost"],
      params: { n: 100 },
    });
    await expectError(
      res,
      400,
      "unknown_agent",
      'agents[1]: no agent has the id or name "ghost". Known agents: box-one, box-two, sleepy.',
    );
    expect(api.rooms.calls).toEqual([]);
  });

  it("refuses an offline agent with 409 and says to start it", async () => {
    const res = await postJson(api, "/api/runs", { workload: "compute", agents: ["sleepy"], params: { n: 100 } });
    await expectError(res, 409, "agent_offline", /Agent "sleepy" is offline: start its agent/);
  });

  it("refuses an image race without a prompt or with steps out of bounds, naming the field", async () => {
    const image = { workload: "image", agents: ["box-one"], backend: "comfyui", model: "sd.safetensors" };
    await expectError(
      await postJson(api, "/api/runs", { ...image, params: {} }),
      400,
      "bad_request",
      "params.prompt: prompt is required",
    );
    await expectError(
      await postJson(api, "/api/runs", { ...image, params: { prompt: "x", steps: 0 } }),
      400,
      "bad_request",
      "params.steps: steps must be at least 1",
    );
    await expectError(
      await postJson(api, "/api/runs", { ...image, params: { prompt: "x", width: 4096 } }),
      400,
      "bad_request",
      "params.width: width must be one of 512, 768, 1024 pixels",
    );
  });

  it("refuses a backend of another workload", async () => {
    const res = await postJson(api, "/api/runs", {
      workload: "compute",
      agents: ["box-one"],
      backend: "ollama",
      params: { n: 100 },
    });
    await expectError(res, 400, "bad_request", "backend: the ollama backend runs llm races, not compute");
  });

  it("refuses a body that is not JSON", async () => {
    const res = await api.app.request("/api/runs", {
      method: "POST",
      body: "{nope",
      headers: { authorization: "Bearer test-operator-key-0123456789", "content-type": "application/json" },
    });
    await expectError(res, 400, "bad_request", "The request body is not valid JSON.");
  });

  it("fails the run and answers 503 when the rooms cannot be reached", async () => {
    api.rooms.failWith = new Error("connect ECONNREFUSED");
    const res = await postJson(api, "/api/runs", { workload: "compute", agents: ["box-one"], params: { n: 100 } });
    await expectError(res, 503, "rooms_unavailable", /could not be reached \(connect ECONNREFUSED\)/);
    const [run] = listRuns(api.db, { limit: 10 }, "http://x").runs;
    expect(run?.status).toBe("failed");
    expect(run?.lanes[0]?.status).toBe("failed");
    expect(api.rooms.calls.map((call) => `${call.party}:${call.body.type}`)).toEqual([
      "race:race-open",
      "race:race-cancel",
    ]);
  });

  it("answers 502 with the room's code when a room refuses the race", async () => {
    api.rooms.failWith = new ApiError(409, "race_exists", "race already open");
    const res = await postJson(api, "/api/runs", { workload: "compute", agents: ["box-one"], params: { n: 100 } });
    await expectError(res, 502, "race_exists", /could not be reached \(race already open\)/);
  });

  describe("llm races", () => {
    const gib = 1024 ** 3;
    const ollamaWith = (models: { name: string; digest: string; size: number }[]) => ({
      ollama: {
        reachable: true,
        version: "0.12.0",
        models: models.map((m) => ({ name: m.name, size_bytes: m.size, digest: m.digest })),
      },
      mock: { reachable: true, version: "1", models: [] },
    });
    beforeEach(() => {
      seedAgent(
        api.db,
        "gpu-1",
        "gpu-one",
        "online",
        testNow,
        ollamaWith([{ name: "llama3:latest", digest: "aaa111", size: 4 * gib }]),
      );
      seedAgent(
        api.db,
        "gpu-2",
        "gpu-two",
        "online",
        testNow,
        ollamaWith([{ name: "llama3:latest", digest: "bbb222", size: 4 * gib }]),
      );
      seedAgent(api.db, "gpu-3", "gpu-three", "online", testNow, ollamaWith([]));
    });

    it("races two models on one machine as two lanes, params defaulted and validated", async () => {
      const res = await postJson(api, "/api/runs", {
        workload: "llm",
        lanes: [
          { agent: "gpu-one", backend: "ollama", model: "llama3" },
          { agent: "gpu-one", backend: "mock" },
        ],
        params: { prompt: "Why is the sky blue?" },
        repeats: 2,
      });
      expect(res.status).toBe(201);
      const { run, preflight } = await res.json();
      expect(
        run.lanes.map((l: { agent_name: string; backend: string; model: string | null }) => [
          l.agent_name,
          l.backend,
          l.model,
        ]),
      ).toEqual([
        ["gpu-one", "ollama", "llama3"],
        ["gpu-one", "mock", null],
      ]);
      expect(run.lanes[0].params).toEqual({
        prompt: "Why is the sky blue?",
        max_tokens: 256,
        num_ctx: 4096,
        temperature: 0.2,
        seed: 42,
        cache_prompt: false,
        allow_mock_fallback: false,
      });
      expect(preflight).toEqual({ skipped: [], warnings: [] });
    });

    it("names the field of bad llm params in plain words", async () => {
      const res = await postJson(api, "/api/runs", {
        workload: "llm",
        lanes: [{ agent: "gpu-one", backend: "ollama", model: "llama3", params: { max_tokens: 8192 } }],
        params: { prompt: "hi" },
      });
      await expectError(
        res,
        400,
        "bad_request",
        "lanes[0].params.max_tokens: max_tokens (8192) must be below num_ctx (4096)",
      );
    });

    it("asks for the model of an llm lane", async () => {
      const res = await postJson(api, "/api/runs", {
        workload: "llm",
        agents: ["gpu-one"],
        backend: "ollama",
        params: { prompt: "hi" },
      });
      await expectError(res, 400, "bad_request", "model: choose the model this lane runs on ollama");
    });

    it("skips a machine that lacks the model, says why, and warns when digests differ", async () => {
      const res = await postJson(api, "/api/runs", {
        workload: "llm",
        agents: ["gpu-one", "gpu-two", "gpu-three"],
        backend: "ollama",
        model: "llama3",
        params: { prompt: "hi" },
      });
      expect(res.status).toBe(201);
      const { run, preflight } = await res.json();
      expect(run.lanes.map((l: { agent_name: string }) => l.agent_name)).toEqual(["gpu-one", "gpu-two"]);
      expect(preflight.skipped).toEqual([
        { index: 2, agent: "gpu-three", problems: ["gpu-three has no model llama3 on ollama (it has: none)."] },
      ]);
      expect(preflight.warnings).toEqual([
        "gpu-two has a different build of llama3:latest (digest bbb222) than the first lane with it: the lanes do not run the same weights.",
      ]);
    });

    it("refuses a race no lane of which can run, unless forced", async () => {
      const body = {
        workload: "llm",
        agents: ["gpu-three"],
        backend: "ollama",
        model: "llama3",
        params: { prompt: "hi" },
      };
      await expectError(
        await postJson(api, "/api/runs", body),
        409,
        "no_lane_ready",
        /gpu-three has no model llama3.*"force": true/,
      );
      const forced = await postJson(api, "/api/runs", { ...body, force: true });
      expect(forced.status).toBe(201);
      expect((await forced.json()).preflight.warnings).toEqual([
        "gpu-three has no model llama3 on ollama (it has: none). (raced anyway: force)",
      ]);
    });
  });
});

describe("POST /api/runs with a ghost", () => {
  let api: TestApi;
  beforeEach(() => {
    api = createTestApi();
    seedAgent(api.db, "agent-1", "box-one");
  });
  afterEach(() => api.close());

  /** a compute run whose one lane finished */
  async function finishedRun(): Promise<string> {
    const { run } = await (
      await postJson(api, "/api/runs", { workload: "compute", agents: ["box-one"], params: { n: 1000 } })
    ).json();
    const lane = {
      ...run.lanes[0],
      status: "done",
      results: [],
      start_at: null,
      provenance: null,
      started_at: 1,
      finished_at: 2,
    };
    applyRunBatch(api.db, {
      run_id: run.id,
      events: [],
      run: { status: "done", started_at: 1, finished_at: 2, seq: 9 },
      lanes: [lane],
    });
    return run.id;
  }

  it("races against a finished run of the same workload and says which", async () => {
    const ghostId = await finishedRun();
    const res = await postJson(api, "/api/runs", {
      workload: "compute",
      agents: ["box-one"],
      params: { n: 1000 },
      ghost_run_id: ghostId,
    });
    expect(res.status).toBe(201);
    expect((await res.json()).run.ghost_run_id).toBe(ghostId);
  });

  it("refuses a ghost that does not exist, ran another workload, or never finished a lane", async () => {
    await expectError(
      await postJson(api, "/api/runs", {
        workload: "compute",
        agents: ["box-one"],
        params: { n: 1000 },
        ghost_run_id: "nope",
      }),
      404,
      "ghost_not_found",
      /no run nope/,
    );
    const ghostId = await finishedRun();
    await expectError(
      await postJson(api, "/api/runs", {
        workload: "llm",
        agents: ["box-one"],
        backend: "mock",
        params: { prompt: "hi" },
        ghost_run_id: ghostId,
      }),
      400,
      "invalid_ghost",
      /compute race/,
    );
    const { run: pending } = await (
      await postJson(api, "/api/runs", { workload: "compute", agents: ["box-one"], params: { n: 1000 } })
    ).json();
    await expectError(
      await postJson(api, "/api/runs", {
        workload: "compute",
        agents: ["box-one"],
        params: { n: 1000 },
        ghost_run_id: pending.id,
      }),
      400,
      "invalid_ghost",
      /no finished lane/,
    );
  });
});
