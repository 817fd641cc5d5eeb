import { afterEach, describe, expect, it } from "vitest";
import { toEnrollmentCommand } from "../../../coordinator/api/fleet-routes.ts";
import { createTestApi, operatorHeaders, seedAgent, type TestApi } from "../../helpers/api-test-app.ts";

describe("fleet routes", () => {
  let api: TestApi | undefined;
  afterEach(() => api?.close());

  it("gives the operator the agent token and the command that enrolls a machine", async () => {
    api = createTestApi({ agentToken: "tok_abc-123" });
    const res = await api.app.request("/api/fleet/enrollment", { headers: operatorHeaders });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      token: "tok_abc-123",
      command: 'npm run agent -- --coordinator http://127.0.0.1:8080 --token tok_abc-123 --name "$(hostname)"',
    });
  });

  it("refuses the enrollment token to a spectator", async () => {
    api = createTestApi({ agentToken: "tok_abc-123" });
    const res = await api.app.request("/api/fleet/enrollment");
    expect(res.status).toBe(401);
    expect(JSON.stringify(await res.json())).not.toContain("tok_abc-123");
  });

  it("answers 404 with a reason where the API was not given the token", async () => {
    api = createTestApi();
    const res = await api.app.request("/api/fleet/enrollment", { headers: operatorHeaders });
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toMatch(/keeps the agent token itself/);
  });

  it("quotes a token or URL the shell would otherwise split", () => {
    expect(toEnrollmentCommand("https://race.example/", "it's $x")).toBe(
      `npm run agent -- --coordinator https://race.example --token 'it'\\''s $x' --name "$(hostname)"`,
    );
  });

  it("lists machines with their engines' errors for the operator only", async () => {
    api = createTestApi();
    seedAgent(api.db, "a1", "gpu-box", "online", undefined, {
      ollama: {
        reachable: false,
        version: null,
        models: [],
        error: "Ollama at http://10.0.0.5:11434 is not reachable",
      },
    });
    const operator = await (await api.app.request("/api/agents", { headers: operatorHeaders })).json();
    expect(operator.agents[0].backends.ollama).toEqual({
      reachable: false,
      version: null,
      models: [],
      error: "Ollama at http://10.0.0.5:11434 is not reachable",
    });
    const spectator = await (await api.app.request("/api/agents")).json();
    expect(spectator.agents[0].name).toBe("gpu-box");
    expect(spectator.agents[0].backends.ollama).toEqual({ reachable: false, version: null, models: [] });
  });
});
