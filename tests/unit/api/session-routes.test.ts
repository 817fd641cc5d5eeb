import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { operatorSessionValue } from "../../../coordinator/api/operator-auth.ts";
import { createTestApi, type TestApi, testOperatorKey } from "../../helpers/api-test-app.ts";

describe("GET and DELETE /api/session", () => {
  let api: TestApi;
  beforeEach(() => {
    api = createTestApi();
  });
  afterEach(() => api.close());

  const session = async (headers: Record<string, string> = {}) => {
    const res = await api.app.request("/api/session", { headers });
    expect(res.status).toBe(200);
    return res.json();
  };

  it("says a spectator without the key is not the operator", async () => {
    expect(await session()).toEqual({ operator: false });
    expect(await session({ cookie: "bench_operator=forged" })).toEqual({ operator: false });
    expect(await session({ authorization: "Bearer wrong" })).toEqual({ operator: false });
  });

  it("says the holder of the operator cookie or Bearer key is the operator", async () => {
    expect(await session({ cookie: `bench_operator=${operatorSessionValue(testOperatorKey)}` })).toEqual({
      operator: true,
    });
    expect(await session({ authorization: `Bearer ${testOperatorKey}` })).toEqual({ operator: true });
  });

  it("signs out by clearing the operator cookie", async () => {
    const res = await api.app.request("/api/session", { method: "DELETE" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ operator: false });
    const cleared = res.headers.get("set-cookie") ?? "";
    expect(cleared).toMatch(/^bench_operator=;/);
    expect(cleared).toContain("Max-Age=0");
    expect(cleared).toContain("Path=/");
  });
});
