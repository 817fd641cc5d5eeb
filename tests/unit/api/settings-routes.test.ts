import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestApi, type TestApi, testOperatorKey } from "../../helpers/api-test-app.ts";

describe("GET and PUT /api/settings", () => {
  let api: TestApi;
  beforeEach(() => {
    api = createTestApi();
  });
  afterEach(() => api.close());

  const put = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${testOperatorKey}` }) =>
    api.app.request("/api/settings", {
      method: "PUT",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  it("answers the defaults before anything was saved", async () => {
    const res = await api.app.request("/api/settings");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ settings: { models: [], repeats: 1, warmup: 0 } });
  });

  it("keeps what the operator saved and lets a spectator read it", async () => {
    const saved = await put({ models: ["llama3.2", "qwen2.5:0.5b"], repeats: 3, warmup: 1 });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toEqual({ settings: { models: ["llama3.2", "qwen2.5:0.5b"], repeats: 3, warmup: 1 } });
    const read = await api.app.request("/api/settings");
    expect(await read.json()).toEqual({ settings: { models: ["llama3.2", "qwen2.5:0.5b"], repeats: 3, warmup: 1 } });
  });

  it("refuses a spectator's change", async () => {
    const res = await put({ models: [], repeats: 5, warmup: 0 }, {});
    expect(res.status).toBe(401);
    expect(await (await api.app.request("/api/settings")).json()).toEqual({
      settings: { models: [], repeats: 1, warmup: 0 },
    });
  });

  it("names the field that is out of range", async () => {
    const res = await put({ models: ["llama 3"], repeats: 0, warmup: 0 });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("bad_request");
    expect(body.error.message).toContain("models[0]: give an Ollama model name");
    expect(body.error.message).toContain("repeats:");
  });
});
