import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { operatorCookieName, operatorSessionValue } from "../../../coordinator/api/operator-auth.ts";
import { maxBodyBytes, maxJsonDepth, nestsDeeperThan } from "../../../coordinator/api/read-json-body.ts";
import type { Logger } from "../../../coordinator/protocol/logger.ts";
import { insertFixtureRun } from "../../helpers/api-race-fixture.ts";
import {
  createTestApi,
  operatorHeaders,
  seedAgent,
  type TestApi,
  testOperatorKey,
  testPublicUrl,
} from "../../helpers/api-test-app.ts";

const runBody = JSON.stringify({ workload: "compute", agents: ["box"], params: { n: 1000 } });
const cookie = `${operatorCookieName}=${operatorSessionValue(testOperatorKey)}`;

async function errorOf(res: Response) {
  return { status: res.status, ...((await res.json()) as { error: { code: string; message: string } }).error };
}

describe("requests the API refuses before it acts", () => {
  let api: TestApi;
  beforeEach(() => {
    api = createTestApi();
    seedAgent(api.db, "a1", "box");
    insertFixtureRun(api.db, "run-1");
  });
  afterEach(() => api.close());

  it.each([
    ["text/plain", "text/plain"],
    ["application/x-www-form-urlencoded", "application/x-www-form-urlencoded"],
    ["Text/Plain; charset=UTF-8", "text/plain"],
  ])("refuses a JSON body sent as %s with 415", async (type, said) => {
    const res = await api.app.request("/api/runs", {
      method: "POST",
      body: runBody,
      headers: { authorization: `Bearer ${testOperatorKey}`, "content-type": type },
    });
    expect(await errorOf(res)).toEqual({
      status: 415,
      code: "unsupported_media_type",
      message: `Send the body as JSON with Content-Type: application/json (this request said "${said}").`,
    });
    expect(api.rooms.calls).toEqual([]);
  });

  it("refuses a body that names no Content-Type with 415", async () => {
    const res = await api.app.request("/api/runs", {
      method: "POST",
      body: new TextEncoder().encode(runBody),
      headers: { authorization: `Bearer ${testOperatorKey}` },
    });
    expect(await errorOf(res)).toEqual({
      status: 415,
      code: "unsupported_media_type",
      message: "Send the body as JSON with Content-Type: application/json (this request said nothing).",
    });
  });

  it("takes JSON with a charset", async () => {
    const res = await api.app.request("/api/runs", {
      method: "POST",
      body: runBody,
      headers: { authorization: `Bearer ${testOperatorKey}`, "content-type": "application/json; charset=utf-8" },
    });
    expect(res.status).toBe(201);
  });

  it.each([
    ["POST", "/api/runs", runBody],
    ["POST", "/api/runs/run-1/cancel", undefined],
    ["DELETE", "/api/runs/run-1", undefined],
  ])("refuses %s %s from a page of another origin, even with the operator cookie", async (method, path, body) => {
    const res = await api.app.request(`${testPublicUrl}${path}`, {
      method,
      body,
      headers: { cookie, origin: "http://127.0.0.1:9999", "content-type": "application/json" },
    });
    expect(await errorOf(res)).toEqual({
      status: 403,
      code: "cross_origin",
      message: `A page from http://127.0.0.1:9999 may not change anything here: use the dashboard at ${testPublicUrl}, or call the API without a browser.`,
    });
    expect(api.rooms.calls).toEqual([]);
  });

  it("refuses a page whose origin is opaque (null)", async () => {
    const res = await api.app.request(`${testPublicUrl}/api/runs`, {
      method: "POST",
      body: runBody,
      headers: { cookie, origin: "null", "content-type": "application/json" },
    });
    expect(res.status).toBe(403);
  });

  it("takes changing calls from the dashboard's own origin, from the public URL, and with no Origin", async () => {
    const own = await api.app.request("http://localhost:8080/api/runs", {
      method: "POST",
      body: runBody,
      headers: { cookie, origin: "http://localhost:8080", "content-type": "application/json" },
    });
    expect(own.status).toBe(201);
    const viaPublicUrl = await api.app.request("http://10.0.0.5:3000/api/runs", {
      method: "POST",
      body: runBody,
      headers: { cookie, origin: testPublicUrl, "content-type": "application/json" },
    });
    expect(viaPublicUrl.status).toBe(201);
    const noOrigin = await api.app.request("/api/runs", { method: "POST", body: runBody, headers: operatorHeaders });
    expect(noOrigin.status).toBe(201);
  });

  it("lets any origin read", async () => {
    const res = await api.app.request("/api/runs/run-1", { headers: { origin: "http://elsewhere.example" } });
    expect(res.status).toBe(200);
  });

  it("refuses a body over 1 MiB with 413, whether or not it declares its length", async () => {
    const big = JSON.stringify({
      workload: "compute",
      agents: ["box"],
      params: { n: 1000, pad: "x".repeat(maxBodyBytes) },
    });
    const streamed = await api.app.request("/api/runs", { method: "POST", body: big, headers: operatorHeaders });
    const tooLarge = {
      status: 413,
      code: "too_large",
      message: `The request body is over ${maxBodyBytes} bytes, the limit of this route.`,
    };
    expect(await errorOf(streamed)).toEqual(tooLarge);
    const declared = await api.app.request("/api/runs", {
      method: "POST",
      body: big,
      headers: { ...operatorHeaders, "content-length": String(big.length) },
    });
    expect(await errorOf(declared)).toEqual(tooLarge);
    expect(api.rooms.calls).toEqual([]);
  });

  it("refuses JSON nested deeper than the limit with 400, and a 10,000-deep body without a 500", async () => {
    const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
    const deep = `{"workload":"compute","agents":["box"],"params":{"n":1000,"junk":${nested(10_000)}}}`;
    const res = await api.app.request("/api/runs", { method: "POST", body: deep, headers: operatorHeaders });
    expect(await errorOf(res)).toEqual({
      status: 400,
      code: "too_deep",
      message: `The JSON body nests deeper than ${maxJsonDepth} levels, the API's limit.`,
    });
    expect(nestsDeeperThan(nested(maxJsonDepth), maxJsonDepth)).toBe(false);
    expect(nestsDeeperThan(nested(maxJsonDepth + 1), maxJsonDepth)).toBe(true);
    // brackets inside strings, escaped quotes included, are text, not nesting
    expect(nestsDeeperThan(JSON.stringify({ a: `\\"${"[".repeat(100)}` }), 2)).toBe(false);
  });

  it("stores only the run params the workload's schema defines", async () => {
    const res = await api.app.request("/api/runs", {
      method: "POST",
      headers: operatorHeaders,
      body: JSON.stringify({
        workload: "compute",
        lanes: [{ agent: "box", params: { n: 1000 } }],
        params: { algorithm: "simple_sieve", junk: "x".repeat(1000), nested: { a: { b: [1, 2] } } },
      }),
    });
    expect(res.status).toBe(201);
    const { run } = (await res.json()) as { run: { id: string; params: unknown; lanes: Array<{ params?: unknown }> } };
    expect(run.params).toEqual({ algorithm: "simple_sieve" });
    const stored = (await (await api.app.request(`/api/runs/${run.id}`)).json()) as { run: { params: unknown } };
    expect(stored.run.params).toEqual({ algorithm: "simple_sieve" });
  });
});

describe("errors the API did not expect", () => {
  it("logs every 500 with its cause", async () => {
    const logged: Array<{ message: string; fields?: Record<string, unknown> }> = [];
    const log: Logger = {
      info() {},
      warn() {},
      error: (message, fields) => void logged.push({ message, fields }),
    };
    const api = createTestApi({ log });
    api.close();
    const res = await api.app.request("/api/runs");
    expect(res.status).toBe(500);
    expect(logged).toHaveLength(1);
    expect(logged[0]?.message).toBe("API request failed");
    expect(logged[0]?.fields).toMatchObject({
      method: "GET",
      path: "/api/runs",
      error: "The database connection is not open",
    });
    expect(String(logged[0]?.fields?.stack)).toContain("The database connection is not open");
  });
});
