import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyFleetChange, listAgents, markAllAgentsOffline, resolveAgents } from "../../../db/agents.ts";
import { type Db, openDatabase } from "../../../db/client.ts";
import { seedAgent } from "../../helpers/api-test-app.ts";

describe("agents", () => {
  let db: Db;
  let close: () => void;
  beforeEach(() => {
    ({ db, close } = openDatabase(":memory:"));
  });
  afterEach(() => close());

  it("upserts a seen agent and marks a gone one offline", () => {
    seedAgent(db, "id-1", "box", "online", 1000);
    seedAgent(db, "id-1", "box-renamed", "busy", 2000);
    expect(listAgents(db)).toEqual([
      expect.objectContaining({
        id: "id-1",
        name: "box-renamed",
        status: "busy",
        last_seen_at: new Date(2000).toISOString(),
      }),
    ]);
    applyFleetChange(db, { type: "agent-gone", agent_id: "id-1" }, 3000);
    expect(listAgents(db)[0]).toMatchObject({ status: "offline", last_seen_at: new Date(3000).toISOString() });
  });

  it("resolves by id first, then by name", () => {
    seedAgent(db, "id-1", "box", "online");
    seedAgent(db, "box", "other", "online");
    const resolved = resolveAgents(db, ["id-1", "box", "other", "missing"]);
    expect(resolved.map((r) => [r.ref, r.agent?.id ?? null])).toEqual([
      ["id-1", "id-1"],
      ["box", "box"],
      ["other", "box"],
      ["missing", null],
    ]);
  });

  it("prefers a connected agent among namesakes, then the one seen last", () => {
    seedAgent(db, "id-1", "box", "offline", 5000);
    seedAgent(db, "id-2", "box", "online", 1000);
    seedAgent(db, "id-3", "box", "online", 2000);
    expect(resolveAgents(db, ["box"])[0]?.agent?.id).toBe("id-3");
  });

  it("marks every agent offline at start-up", () => {
    seedAgent(db, "id-1", "a", "online");
    seedAgent(db, "id-2", "b", "busy");
    markAllAgentsOffline(db);
    expect(listAgents(db).map((a) => a.status)).toEqual(["offline", "offline"]);
  });
});
