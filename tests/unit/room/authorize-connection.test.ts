import { describe, expect, it } from "vitest";
import { deriveAgentKey } from "../../../coordinator/protocol/agent-key.ts";
import { authorizeConnection } from "../../../coordinator/room/authorize-connection.ts";

const secret = "agent-key-secret-0123456789abcdef0123";
const check = { agentKeySecret: secret, isRevoked: (agentId: string) => agentId === "gone" };
const url = (query: string) => new URL(`http://x/parties/race/r1?${query}`);

describe("authorizeConnection", () => {
  it("accepts an agent with the key enrolled for its id", async () => {
    const key = await deriveAgentKey(secret, "a1");
    expect(await authorizeConnection("race", url(`role=agent&agent_id=a1&key=${key}`), check)).toEqual({
      ok: true,
      who: { role: "agent", agentId: "a1" },
    });
  });

  it("refuses a wrong or missing key, and another agent's key (an agent cannot pass itself off as another)", async () => {
    const otherKey = await deriveAgentKey(secret, "a2");
    for (const query of [
      "role=agent&agent_id=a1&key=nope",
      "role=agent&agent_id=a1",
      `role=agent&agent_id=a1&key=${otherKey}`,
    ]) {
      expect(await authorizeConnection("lab", url(query), check)).toMatchObject({ ok: false, status: 401 });
    }
  });

  it("refuses a revoked agent even with its own key, and says how to enroll again", async () => {
    const key = await deriveAgentKey(secret, "gone");
    const decision = await authorizeConnection("lab", url(`role=agent&agent_id=gone&key=${key}`), check);
    expect(decision).toMatchObject({ ok: false, status: 403, message: expect.stringMatching(/revoked.*enroll/) });
  });

  it("lets spectators watch races but not enter the lab", async () => {
    expect(await authorizeConnection("race", url(""), check)).toEqual({ ok: true, who: { role: "viewer" } });
    expect(await authorizeConnection("lab", url(""), check)).toMatchObject({ ok: false, status: 403 });
  });

  it("refuses a malformed agent id", async () => {
    expect(await authorizeConnection("race", url("role=agent&agent_id=a/b&key=x"), check)).toMatchObject({ ok: false });
  });
});
