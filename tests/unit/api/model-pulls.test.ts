import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ModelPullState } from "../../../coordinator/protocol/api.ts";
import { createTestApi, postJson, seedAgent, type TestApi, testOperatorKey } from "../../helpers/api-test-app.ts";

const running: ModelPullState = {
  agent_id: "a1",
  model: "llama3.2:1b",
  status: "pulling dde5aa3fc5ff",
  completed_bytes: 1048576,
  total_bytes: 2019377376,
  done: false,
  error: null,
};

describe("POST /api/agents/pull and GET /api/agents/pulls", () => {
  let api: TestApi;
  beforeEach(() => {
    api = createTestApi();
    seedAgent(api.db, "a1", "box");
    seedAgent(api.db, "a2", "other");
  });
  afterEach(() => api.close());

  it("posts lab-pull with the resolved agent ids and answers 202 with reached and missing", async () => {
    const res = await postJson(api, "/api/agents/pull", {
      agents: ["box", "a2", "a1"],
      model: "hf.co/org/Model-1.5B_q4.gguf:Q4_K_M",
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ reached: ["a1", "a2"], missing: [] });
    expect(api.rooms.calls).toEqual([
      {
        party: "lab",
        roomId: "main",
        body: { type: "lab-pull", agent_ids: ["a1", "a2"], model: "hf.co/org/Model-1.5B_q4.gguf:Q4_K_M" },
      },
    ]);
  });

  it.each([
    ["a space", "llama 3"],
    ["two tags", "llama3:1b:q4"],
    ["an empty tag", "llama3:"],
    ["a leading dash", "-llama3"],
  ])("refuses a model name with %s", async (_, model) => {
    const res = await postJson(api, "/api/agents/pull", { agents: ["box"], model });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("bad_request");
    expect(body.error.message).toMatch(/^model: give an Ollama model name/);
    expect(api.rooms.calls).toEqual([]);
  });

  it("refuses an unknown agent and an empty list", async () => {
    const unknown = await postJson(api, "/api/agents/pull", { agents: ["box", "ghost"], model: "llama3.2" });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      error: { code: "unknown_agent", message: 'agents: no agent has the id or name "ghost".' },
    });
    const empty = await postJson(api, "/api/agents/pull", { agents: [], model: "llama3.2" });
    expect(empty.status).toBe(400);
    expect(api.rooms.calls).toEqual([]);
  });

  it("needs the operator key for both routes", async () => {
    const post = await api.app.request("/api/agents/pull", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ agents: ["box"], model: "llama3.2" }),
    });
    expect(post.status).toBe(401);
    const list = await api.app.request("/api/agents/pulls");
    expect(list.status).toBe(401);
    expect((await list.json()).error.code).toBe("unauthorized");
    expect(api.rooms.calls).toEqual([]);
  });

  it("lists the lab room's pulls", async () => {
    api.rooms.pulls = [running];
    const res = await api.app.request("/api/agents/pulls", { headers: { authorization: `Bearer ${testOperatorKey}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ pulls: [running] });
    expect(api.rooms.calls).toEqual([{ party: "lab", roomId: "main", body: { type: "lab-pulls" } }]);
  });

  it("answers 503 when the lab room cannot be reached", async () => {
    api.rooms.failWith = new Error("ECONNREFUSED");
    const res = await postJson(api, "/api/agents/pull", { agents: ["box"], model: "llama3.2" });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      error: { code: "rooms_unavailable", message: "The lab room could not be reached (ECONNREFUSED); try again." },
    });
  });
});
