import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { operatorSessionValue } from "../../../coordinator/api/operator-auth.ts";
import { insertFixtureRun } from "../../helpers/api-race-fixture.ts";
import { createTestApi, seedAgent, type TestApi, testOperatorKey } from "../../helpers/api-test-app.ts";

const unauthorizedMessage =
  "This action needs the operator key: open the dashboard link printed by `npm start`, or send Authorization: Bearer <key>.";
const runBody = JSON.stringify({ workload: "compute", agents: ["box"], params: { n: 1000 } });

describe("health, routing and the operator key", () => {
  let api: TestApi;
  beforeEach(() => {
    api = createTestApi();
    seedAgent(api.db, "a1", "box");
    insertFixtureRun(api.db, "run-1");
  });
  afterEach(() => api.close());

  it("answers health with the version and mode", async () => {
    const res = await api.app.request("/api/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, version: "9.9.9", mode: "local" });
  });

  it("answers an unknown API route with a JSON 404", async () => {
    const res = await api.app.request("/api/nope");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: "not_found", message: expect.stringContaining("GET /api/nope") },
    });
  });

  it("answers an unexpected failure with a JSON 500", async () => {
    api.close();
    const res = await api.app.request("/api/agents");
    expect(res.status).toBe(500);
    expect((await res.json()).error.code).toBe("internal");
  });

  it("lists agents openly", async () => {
    const res = await api.app.request("/api/agents");
    const body = await res.json();
    expect(body.agents).toHaveLength(1);
    expect(body.agents[0]).toMatchObject({ id: "a1", name: "box", status: "online", hardware: { cpu_cores: 8 } });
  });

  it.each([
    ["POST", "/api/runs", runBody],
    ["POST", "/api/runs/run-1/cancel", undefined],
    ["DELETE", "/api/runs/run-1", undefined],
  ])("refuses %s %s without the operator key", async (method, path, body) => {
    const res = await api.app.request(path, { method, body, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "unauthorized", message: unauthorizedMessage } });
    expect(api.rooms.calls).toEqual([]);
  });

  it("refuses a wrong Bearer key", async () => {
    const res = await api.app.request("/api/runs", {
      method: "POST",
      body: runBody,
      headers: { authorization: "Bearer wrong", "content-type": "application/json" },
    });
    expect(res.status).toBe(401);
  });

  it("accepts the Bearer key", async () => {
    const res = await api.app.request("/api/runs", {
      method: "POST",
      body: runBody,
      headers: { authorization: `Bearer ${testOperatorKey}`, "content-type": "application/json" },
    });
    expect(res.status).toBe(201);
  });

  it("accepts the operator cookie that /login sets", async () => {
    const login = await api.app.request(`/login?key=${testOperatorKey}`);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const res = await api.app.request("/api/runs", {
      method: "POST",
      body: runBody,
      headers: { cookie, "content-type": "application/json" },
    });
    expect(res.status).toBe(201);
  });

  it("refuses a cookie that holds the operator key itself", async () => {
    const res = await api.app.request("/api/runs", {
      method: "POST",
      body: runBody,
      headers: { cookie: `bench_operator=${testOperatorKey}`, "content-type": "application/json" },
    });
    expect(res.status).toBe(401);
  });

  it("sets the operator cookie on /login with the right key and sends the browser home", async () => {
    const res = await api.app.request(`/login?key=${testOperatorKey}`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/");
    const cookie = res.headers.get("set-cookie") ?? "";
    // a session value derived from the key, never the key itself
    expect(cookie).toContain(`bench_operator=${operatorSessionValue(testOperatorKey)};`);
    expect(cookie).not.toContain(testOperatorKey);
    expect(operatorSessionValue(testOperatorKey)).not.toBe(operatorSessionValue(`${testOperatorKey}x`));
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Path=/");
  });

  it("refuses /login with a wrong key and sets no cookie", async () => {
    const res = await api.app.request("/login?key=wrong");
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await res.text()).toContain("operator key is wrong");
  });
});
