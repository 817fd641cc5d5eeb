import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AgentView } from "../../../coordinator/protocol/api.ts";
import { preflightLane } from "../../../coordinator/protocol/preflight.ts";
import { applyFleetChange, listAgents } from "../../../db/agents.ts";
import { applyRunBatch } from "../../../db/runs.ts";
import { insertFixtureRun } from "../../helpers/api-race-fixture.ts";
import {
  createTestApi,
  operatorHeaders,
  seedAgent,
  type TestApi,
  testHardware,
  testNow,
} from "../../helpers/api-test-app.ts";

const gib = 1024 ** 3;

describe("operator overrides", () => {
  let api: TestApi;
  beforeEach(() => {
    api = createTestApi();
    seedAgent(api.db, "a1", "box");
  });
  afterEach(() => api.close());

  const put = (id: string, body: unknown, headers: Record<string, string> = operatorHeaders) =>
    api.app.request(`/api/agents/${id}/overrides`, { method: "PUT", headers, body: JSON.stringify(body) });

  it("stores overrides, serves them, lists them with the agent, and clears them with null", async () => {
    const overrides = { label: "rack 2", memory_bytes: 64 * gib, gpu_vram_bytes: 24 * gib };
    expect((await put("a1", { overrides })).status).toBe(200);
    const res = await api.app.request("/api/agents/a1/overrides", { headers: operatorHeaders });
    expect(await res.json()).toEqual({ overrides });
    expect(listAgents(api.db)[0]?.overrides).toEqual(overrides);
    expect(listAgents(api.db)[0]?.hardware).toEqual(testHardware);
    await put("a1", { overrides: { ...overrides, notes: "behind the blue door" } });
    const seen = async (headers: Record<string, string>) =>
      ((await (await api.app.request("/api/agents", { headers })).json()) as { agents: AgentView[] }).agents[0]
        ?.overrides;
    expect(await seen(operatorHeaders)).toMatchObject({ notes: "behind the blue door", label: "rack 2" });
    expect(await seen({})).toMatchObject({ notes: null, label: "rack 2" });
    expect(await (await put("a1", { overrides: null })).json()).toEqual({ overrides: null });
    expect(listAgents(api.db)[0]?.overrides).toBeNull();
  });

  it("rejects absurd values naming the field, unknown fields, strangers and unknown agents", async () => {
    const tiny = await put("a1", { overrides: { memory_bytes: 64 } });
    expect(tiny.status).toBe(400);
    expect((await tiny.json()).error.message).toBe(
      "overrides.memory_bytes: memory_bytes below 64 MiB is not a real machine's; give bytes, not GiB",
    );
    const cores = await put("a1", { overrides: { cpu_physical_cores: 100_000 } });
    expect((await cores.json()).error.message).toBe(
      "overrides.cpu_physical_cores: cpu_physical_cores above 4096 is not a real machine's",
    );
    expect((await put("a1", { overrides: { vram: 1 } })).status).toBe(400);
    expect((await put("a1", { overrides: {} }, { "content-type": "application/json" })).status).toBe(401);
    expect((await put("nope", { overrides: { label: "x" } })).status).toBe(404);
  });

  it("asks the lab room to have a machine probe its hardware again", async () => {
    const res = await api.app.request("/api/agents/a1/probe", { method: "POST", headers: operatorHeaders });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ reached: ["a1"], missing: [] });
    expect(api.rooms.calls).toEqual([{ party: "lab", roomId: "main", body: { type: "lab-probe", agent_ids: ["a1"] } }]);
    expect((await api.app.request("/api/agents/nope/probe", { method: "POST", headers: operatorHeaders })).status).toBe(
      404,
    );
    expect((await api.app.request("/api/agents/a1/probe", { method: "POST" })).status).toBe(401);
  });

  it("wins over discovery in the fit calculation and says so", () => {
    const agent = {
      ...listAgents(api.db)[0]!,
      backends: {
        ollama: { reachable: true, version: "1", models: [{ name: "m:latest", size_bytes: 10 * gib, digest: null }] },
      },
    };
    const discovered = preflightLane(agent, { backend: "ollama", model: "m" }, { num_ctx: 4096 });
    expect(discovered.fit).toMatchObject({ memory: "system", have_bytes: 16 * gib, label: "good" });
    const overridden = preflightLane(
      { ...agent, overrides: { gpu_vram_bytes: 8 * gib } },
      { backend: "ollama", model: "m" },
      { num_ctx: 4096 },
    );
    expect(overridden.fit).toMatchObject({ memory: "vram", have_bytes: 8 * gib, label: "fail" });
    expect(overridden.fit.reason).toMatch(/\(operator override\)$/);
  });
});

describe("hardware snapshots and run samples", () => {
  let api: TestApi;
  beforeEach(() => {
    api = createTestApi();
  });
  afterEach(() => api.close());

  it("keeps the first snapshot of a hardware id however the agent reports later", async () => {
    const hello = (hardware: typeof testHardware, hardwareId: string) =>
      applyFleetChange(
        api.db,
        {
          type: "agent-seen",
          agent: { agent_id: "a1", name: "box", version: "1", hardware, hardware_id: hardwareId, backends: {} },
          status: "online",
        },
        testNow,
      );
    hello(testHardware, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    hello({ ...testHardware, memory_bytes: 1 }, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    hello({ ...testHardware, memory_bytes: 32 * gib }, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    const first = await api.app.request("/api/agents/hardware/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    expect((await first.json()).hardware.memory_bytes).toBe(testHardware.memory_bytes);
    const second = await api.app.request("/api/agents/hardware/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    expect((await second.json()).hardware.memory_bytes).toBe(32 * gib);
    expect((await api.app.request("/api/agents/hardware/cccc")).status).toBe(404);
  });

  it("serves a run's stored samples as NDJSON in time order, each once", async () => {
    insertFixtureRun(api.db, "run-1");
    const gpus = [{ index: 0, util_percent: 100, vram_used_bytes: 1024, power_w: 420.5, temp_c: 50 }];
    const sample = (at: number, agentId: string) => ({
      agent_id: agentId,
      at,
      cpu_percent: 10,
      memory_used_bytes: 2048,
      cpu_power_w: null,
      gpus,
    });
    const batch = {
      run_id: "run-1",
      events: [],
      run: { status: "running" as const, started_at: 1, finished_at: null, seq: 0 },
      lanes: [],
      samples: [sample(2000, "a2"), sample(1000, "a1")],
    };
    applyRunBatch(api.db, batch);
    applyRunBatch(api.db, batch);
    const res = await api.app.request("/api/runs/run-1/samples");
    expect(res.headers.get("content-type")).toContain("application/x-ndjson");
    const lines = (await res.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([sample(1000, "a1"), sample(2000, "a2")]);
    expect((await api.app.request("/api/runs/nope/samples")).status).toBe(404);
  });
});
