/**
 * Hostile bodies on every changing API route, thousands per route: whatever arrives, the API answers
 * with a 4xx and a clear error (or accepts a body that happens to be valid), never a 500, never an
 * unhandled rejection, and the database stays readable.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApi, operatorHeaders, seedAgent, type TestApi } from "../../helpers/api-test-app.ts";

const sinkSecret = "sink-secret-0123456789abcdef";
const agentToken = "agent-token-0123456789abcdef";

/** Bodies shaped like the real ones, with hostile values where the fields go, and anything else. */
const hostileValue = fc.oneof(
  fc.jsonValue(),
  fc.string({ unit: "binary" }),
  fc.constantFrom("../../etc/passwd", "<script>alert(1)</script>", "box-one", "compute", "llm", "image", "mock"),
  fc.double(),
  fc.integer(),
);
const shapedBody = fc.record(
  {
    workload: fc.oneof(fc.constantFrom("compute", "llm", "image"), hostileValue),
    agents: fc.oneof(fc.array(fc.oneof(fc.constant("box-one"), fc.string())), hostileValue),
    lanes: fc.oneof(
      fc.array(fc.dictionary(fc.constantFrom("agent", "backend", "model", "params"), hostileValue)),
      hostileValue,
    ),
    backend: hostileValue,
    model: hostileValue,
    params: fc.oneof(fc.dictionary(fc.string(), hostileValue), hostileValue),
    repeats: hostileValue,
    warmup: hostileValue,
    force: hostileValue,
    ghost_run_id: hostileValue,
    name: hostileValue,
    run_id: hostileValue,
    events: hostileValue,
    run: hostileValue,
    type: hostileValue,
    agent: hostileValue,
  },
  { requiredKeys: [] },
);
const anyBody = fc.oneof(
  shapedBody.map((body) => JSON.stringify(body)),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.string({ unit: "binary" }),
);

const routes: Array<{ method: string; path: string; headers: Record<string, string> }> = [
  { method: "POST", path: "/api/runs", headers: operatorHeaders },
  { method: "POST", path: "/api/runs/some-run/cancel", headers: operatorHeaders },
  { method: "POST", path: "/api/agents/pull", headers: operatorHeaders },
  { method: "POST", path: "/api/agents/agent-1/revoke", headers: operatorHeaders },
  {
    method: "POST",
    path: "/api/agents/enroll",
    headers: { authorization: `Bearer ${agentToken}`, "content-type": "application/json" },
  },
  {
    method: "POST",
    path: "/api/internal/runs/some-run/batch",
    headers: { authorization: `Bearer ${sinkSecret}`, "content-type": "application/json" },
  },
  {
    method: "POST",
    path: "/api/internal/fleet",
    headers: { authorization: `Bearer ${sinkSecret}`, "content-type": "application/json" },
  },
];

describe("API bodies under fuzzing", () => {
  let api: TestApi;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(() => {
    api = createTestApi({ sinkSecret, agentToken, agentKeySecret: "agent-key-secret-0123456789abcdef0123" });
    seedAgent(api.db, "agent-1", "box-one");
    process.on("unhandledRejection", onUnhandled);
  });
  afterAll(() => {
    process.off("unhandledRejection", onUnhandled);
    api.close();
  });

  for (const route of routes) {
    it(`${route.method} ${route.path} answers every body without a 500`, async () => {
      await fc.assert(
        fc.asyncProperty(anyBody, async (body) => {
          const res = await api.app.request(route.path, { method: route.method, headers: route.headers, body });
          expect(res.status).toBeLessThan(500);
          if (res.status >= 400) {
            const error = (await res.json()).error;
            expect(typeof error.code).toBe("string");
            expect(error.message.length).toBeGreaterThan(10);
          }
        }),
        { numRuns: 1500 },
      );
      expect(unhandled).toEqual([]);
      const health = await api.app.request("/api/runs");
      expect(health.status).toBe(200);
    });
  }
});
