import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type ModelPullState, modelPullListSchema } from "../../coordinator/protocol/api.ts";
import { type LocalRace, startLocalRace } from "../helpers/local-race.ts";
import { type OllamaStandIn, startOllamaStandIn } from "../helpers/ollama-stand-in.ts";

describe("pulling an Ollama model from the dashboard (real sockets, Ollama stand-in)", () => {
  let race: LocalRace;
  let ollama: OllamaStandIn;
  let ollamaBoxId: string;
  let plainBoxId: string;

  beforeAll(async () => {
    ollama = await startOllamaStandIn();
    race = await startLocalRace({ agentNames: [] });
    ollamaBoxId = (await race.addAgent("ollama-box", { ollamaUrl: ollama.url })).agentId;
    plainBoxId = (await race.addAgent("plain-box")).agentId;
  });
  afterAll(async () => {
    await race?.stop();
    await ollama?.close();
  });

  const pullOf = async (agentId: string, model: string): Promise<ModelPullState | undefined> => {
    const body = modelPullListSchema.parse(await (await race.api("/api/agents/pulls")).json());
    return body.pulls.find((pull) => pull.agent_id === agentId && pull.model === model);
  };
  /** the pull's final state, once the agent reported it */
  const finished = (agentId: string, model: string) =>
    vi.waitFor(
      async () => {
        const pull = await pullOf(agentId, model);
        if (!pull?.done) throw new Error(`pull of ${model} on ${agentId} not done yet`);
        return pull;
      },
      { timeout: 20_000, interval: 20 },
    );

  it("pulls the model on the agent, which then lists it in GET /api/agents", async () => {
    const modelsBefore = (await race.listAgents()).find((a) => a.id === ollamaBoxId)?.backends.ollama?.models;
    expect(modelsBefore?.map((m) => m.name)).not.toContain("tinyllama:1.1b");

    const response = await race.api("/api/agents/pull", {
      method: "POST",
      body: JSON.stringify({ agents: ["ollama-box"], model: "tinyllama:1.1b" }),
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ reached: [ollamaBoxId], missing: [] });

    expect(await finished(ollamaBoxId, "tinyllama:1.1b")).toEqual({
      agent_id: ollamaBoxId,
      model: "tinyllama:1.1b",
      status: "success",
      completed_bytes: null,
      total_bytes: null,
      done: true,
      error: null,
    });
    expect(ollama.pulled).toEqual(["tinyllama:1.1b"]);
    const after = (await race.listAgents()).find((a) => a.id === ollamaBoxId);
    expect(after?.backends.ollama?.models.map((m) => m.name)).toEqual([
      ...(modelsBefore ?? []).map((m) => m.name),
      "tinyllama:1.1b",
    ]);
    expect(after?.status).toBe("online");
  });

  it("reports an unknown model in words", async () => {
    await race.api("/api/agents/pull", {
      method: "POST",
      body: JSON.stringify({ agents: [ollamaBoxId], model: "missing-model" }),
    });
    const pull = await finished(ollamaBoxId, "missing-model");
    expect(pull.status).toBe("failed");
    expect(pull.error).toBe(
      'Ollama has no model named "missing-model": check the name (and tag) on ollama.com/library. (Ollama could not pull missing-model: pull model manifest: file does not exist)',
    );
  });

  it("answers for a machine without Ollama that it has none", async () => {
    const response = await race.api("/api/agents/pull", {
      method: "POST",
      body: JSON.stringify({ agents: ["plain-box"], model: "llama3.2" }),
    });
    expect(await response.json()).toEqual({ reached: [plainBoxId], missing: [] });
    const pull = await finished(plainBoxId, "llama3.2");
    expect(pull.status).toBe("failed");
    expect(pull.error).toMatch(/^This machine has no Ollama backend/);
  });
});
