import { afterEach, describe, expect, it } from "vitest";
import { deriveAgentKey } from "../../../coordinator/protocol/agent-key.ts";
import { createTestApi, type TestApi } from "../../helpers/api-test-app.ts";

const agentToken = "enroll-token-0123456789";
const agentKeySecret = "agent-key-secret-0123456789";

describe("POST /api/agents/enroll", () => {
  let api: TestApi;
  afterEach(() => api.close());

  const enroll = (authorization: string) =>
    api.app.request("/api/agents/enroll", {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body: JSON.stringify({ name: "studio box" }),
    });

  it("grants an id and its key for the token under any spelling of Bearer, and refuses another token", async () => {
    api = createTestApi({ agentToken, agentKeySecret });
    for (const scheme of ["Bearer", "bearer", "BEARER"]) {
      const response = await enroll(`${scheme} ${agentToken}`);
      expect(response.status).toBe(201);
      const grant = (await response.json()) as { agent_id: string; agent_key: string };
      expect(grant.agent_id).toMatch(/^studio-box-[0-9a-f]{12}$/);
      expect(grant.agent_key).toBe(await deriveAgentKey(agentKeySecret, grant.agent_id));
    }
    expect((await enroll(`Bearer ${agentToken}x`)).status).toBe(401);
    expect((await enroll(agentToken)).status).toBe(401);
  });
});
