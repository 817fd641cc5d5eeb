import { describe, expect, it } from "vitest";
import { authorizeConnection } from "../../../coordinator/room/authorize-connection.ts";

const token = "secret-token-123456";
const url = (query: string) => new URL(`http://x/parties/race/r1?${query}`);

describe("authorizeConnection", () => {
  it("accepts an agent with the right token", () => {
    expect(authorizeConnection("race", url(`role=agent&agent_id=a1&token=${token}`), token)).toEqual({
      ok: true,
      who: { role: "agent", agentId: "a1" },
    });
  });

  it("refuses an agent with a wrong or missing token", () => {
    expect(authorizeConnection("lab", url("role=agent&agent_id=a1&token=nope"), token)).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(authorizeConnection("lab", url("role=agent&agent_id=a1"), token)).toMatchObject({ ok: false, status: 401 });
  });

  it("lets spectators watch races but not enter the lab", () => {
    expect(authorizeConnection("race", url(""), token)).toEqual({ ok: true, who: { role: "viewer" } });
    expect(authorizeConnection("lab", url(""), token)).toMatchObject({ ok: false, status: 403 });
  });

  it("refuses a malformed agent id", () => {
    expect(authorizeConnection("race", url(`role=agent&agent_id=a/b&token=${token}`), token)).toMatchObject({
      ok: false,
    });
  });
});
