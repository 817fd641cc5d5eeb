import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { maxLiveRunsPerAgent, runStartRate } from "../../../coordinator/api/create-run.ts";
import { createTestApi, postJson, seedAgent, type TestApi } from "../../helpers/api-test-app.ts";

describe("race start limits", () => {
  let api: TestApi;
  beforeEach(() => {
    api = createTestApi();
    for (let i = 0; i < 40; i++) seedAgent(api.db, `agent-${i}`, `box-${i}`);
  });
  afterEach(() => api.close());

  const start = (agent: string) =>
    postJson(api, "/api/runs", { workload: "compute", agents: [agent], params: { n: 1000 } });

  it(`lets a machine have ${maxLiveRunsPerAgent} races waiting or running, and says why it refuses the next`, async () => {
    for (let i = 0; i < maxLiveRunsPerAgent; i++) expect((await start("box-0")).status).toBe(201);
    const refused = await start("box-0");
    expect(refused.status).toBe(409);
    expect((await refused.json()).error).toMatchObject({ code: "agent_busy", message: /box-0 already has 16 races/ });
    expect((await start("box-1")).status).toBe(201);
  });

  it(`starts a burst of ${runStartRate.capacity} races, then refuses with 429 and a clear wait`, async () => {
    for (let i = 0; i < runStartRate.capacity; i++) expect((await start(`box-${i}`)).status).toBe(201);
    const refused = await start("box-39");
    expect(refused.status).toBe(429);
    expect((await refused.json()).error.message).toMatch(/wait a little/);
  });

  it("does not count a refused body against the limit", async () => {
    for (let i = 0; i < runStartRate.capacity + 5; i++) {
      expect((await postJson(api, "/api/runs", { workload: "compute", agents: ["nobody"] })).status).toBe(400);
    }
    expect((await start("box-0")).status).toBe(201);
  });
});
