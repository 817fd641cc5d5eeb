import { afterEach, describe, expect, it } from "vitest";
import { operatorCookieName, operatorSessionValue } from "../../../coordinator/api/operator-auth.ts";
import { listAgents } from "../../../db/agents.ts";
import { getRunView } from "../../../db/run-views.ts";
import { fixtureBatch, insertFixtureRun } from "../../helpers/api-race-fixture.ts";
import {
  createTestApi,
  type TestApi,
  testHardware,
  testOperatorKey,
  testPublicUrl,
} from "../../helpers/api-test-app.ts";

const secret = "sink-secret-0123456789";
const post = (api: TestApi, path: string, body: unknown, token = secret) =>
  api.app.request(path, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("internal sink routes", () => {
  let api: TestApi;
  afterEach(() => api.close());

  it("are not mounted without a sink secret", async () => {
    api = createTestApi();
    expect((await post(api, "/api/internal/fleet", {})).status).toBe(404);
  });

  it("refuse a wrong secret", async () => {
    api = createTestApi({ sinkSecret: secret });
    const response = await post(api, "/api/internal/fleet", {}, "wrong");
    expect(response.status).toBe(401);
  });

  it("store a room's run batch", async () => {
    api = createTestApi({ sinkSecret: secret });
    insertFixtureRun(api.db, "r1");
    const response = await post(api, "/api/internal/runs/r1/batch", fixtureBatch("r1"));
    expect(response.status).toBe(200);
    expect(getRunView(api.db, "r1", testPublicUrl)?.status).toBe("done");
    expect((await post(api, "/api/internal/runs/r2/batch", fixtureBatch("r1"))).status).toBe(400);
  });

  it("store a fleet change", async () => {
    api = createTestApi({ sinkSecret: secret });
    const agent = { agent_id: "a1", name: "box", version: "1", hardware: testHardware, backends: {} };
    expect((await post(api, "/api/internal/fleet", { type: "agent-seen", agent, status: "online" })).status).toBe(200);
    expect(listAgents(api.db).map((a) => [a.id, a.status])).toEqual([["a1", "online"]]);
  });

  it("say whether what a socket presented is the operator's key or cookie", async () => {
    api = createTestApi({ sinkSecret: secret });
    const answer = async (body: unknown, token = secret) => {
      const response = await post(api, "/api/internal/operator-check", body, token);
      return { status: response.status, body: await response.json() };
    };
    const cookie = `${operatorCookieName}=${operatorSessionValue(testOperatorKey)}`;
    expect(await answer({ key: testOperatorKey, cookie_header: null })).toEqual({
      status: 200,
      body: { operator: true },
    });
    expect(await answer({ key: null, cookie_header: cookie })).toEqual({ status: 200, body: { operator: true } });
    expect(await answer({ key: "not-the-key", cookie_header: `${operatorCookieName}=${testOperatorKey}` })).toEqual({
      status: 200,
      body: { operator: false },
    });
    expect((await answer({ key: testOperatorKey, cookie_header: null }, "wrong")).status).toBe(401);
    expect((await answer({ key: 7 })).status).toBe(400);
    // a cookie that is not valid percent-encoding is no operator's, and does not hide a good key
    const garbled = `${operatorCookieName}=%E0%A4%A`;
    expect(await answer({ key: testOperatorKey, cookie_header: garbled })).toEqual({
      status: 200,
      body: { operator: true },
    });
    expect(await answer({ key: null, cookie_header: garbled })).toEqual({ status: 200, body: { operator: false } });
  });
});
