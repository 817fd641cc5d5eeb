import { describe, expect, it } from "vitest";
import type { FleetChange } from "../../../coordinator/protocol/api.ts";
import { silentLogger } from "../../../coordinator/protocol/logger.ts";
import type { AgentIdentity } from "../../../coordinator/protocol/messages.ts";
import { createLabRoom, rememberedPulls } from "../../../coordinator/room/lab-room.ts";
import { createFakeConnection } from "../../helpers/fake-connection.ts";

const identity = (agentId: string): AgentIdentity => ({
  agent_id: agentId,
  name: `machine-${agentId}`,
  version: "0.1.0",
  hardware: {
    cpu_model: "Test CPU",
    cpu_cores: 8,
    cpu_physical_cores: 4,
    memory_bytes: 16e9,
    os: "Linux",
    arch: "x64",
    gpus: [],
  },
  backends: { compute: { reachable: true, version: "1", models: [] } },
});

function createLab() {
  const changes: FleetChange[] = [];
  const room = createLabRoom({ roomId: "main", log: silentLogger, sink: { write: async (c) => void changes.push(c) } });
  const join = async (agentId: string) => {
    const conn = createFakeConnection({ role: "agent", agentId });
    await room.onConnect(conn);
    await room.onMessage(conn, JSON.stringify({ type: "agent-hello", agent: identity(agentId) }));
    return conn;
  };
  return { room, changes, join };
}

describe("lab room", () => {
  it("welcomes an agent that says hello and reports it to the fleet", async () => {
    const lab = createLab();
    const conn = await lab.join("a1");
    expect(conn.ofType("lab-welcome")).toEqual([{ type: "lab-welcome", agent_id: "a1" }]);
    expect(lab.changes).toMatchObject([{ type: "agent-seen", status: "online", agent: { agent_id: "a1" } }]);
    expect(lab.room.presentAgents()).toEqual(["a1"]);
  });

  it("tracks busy and online, and reports an agent gone when its socket closes", async () => {
    const lab = createLab();
    const conn = await lab.join("a1");
    await lab.room.onMessage(conn, JSON.stringify({ type: "agent-status", status: "busy" }));
    await lab.room.onClose(conn);
    expect(lab.changes.map((c) => (c.type === "agent-seen" ? c.status : c.type))).toEqual([
      "online",
      "busy",
      "agent-gone",
    ]);
    expect(lab.room.presentAgents()).toEqual([]);
  });

  it("dispatches race-join to present agents and names the missing ones", async () => {
    const lab = createLab();
    const conn = await lab.join("a1");
    const reply = await lab.room.onControl({ type: "lab-dispatch", run_id: "r1", agent_ids: ["a1", "a9"] });
    expect(reply).toEqual({ status: 200, body: { reached: ["a1"], missing: ["a9"] } });
    expect(conn.ofType("race-join")).toEqual([{ type: "race-join", run_id: "r1" }]);
  });

  it("sends an agent that says hello again back to the races it was sent to", async () => {
    const lab = createLab();
    const first = await lab.join("a1");
    await lab.room.onControl({ type: "lab-dispatch", run_id: "r1", agent_ids: ["a1"] });
    await lab.room.onClose(first);
    const again = await lab.join("a1");
    expect(again.ofType("race-join")).toEqual([{ type: "race-join", run_id: "r1" }]);
  });

  it("refuses a hello that names another agent, and malformed messages", async () => {
    const lab = createLab();
    const conn = createFakeConnection({ role: "agent", agentId: "a1" });
    await lab.room.onConnect(conn);
    await lab.room.onMessage(conn, JSON.stringify({ type: "agent-hello", agent: identity("a2") }));
    await lab.room.onMessage(conn, JSON.stringify({ type: "agent-hello", agent: { agent_id: "a1" } }));
    expect(conn.ofType("error").map((m) => m.code)).toEqual(["bad_message", "bad_message"]);
    expect(lab.changes).toEqual([]);
  });

  it("closes a revoked agent's socket when the API says so, and answers for one that is not there", async () => {
    const lab = createLab();
    const conn = await lab.join("a1");
    const other = await lab.join("a2");
    expect(await lab.room.onControl({ type: "agent-revoked", agent_id: "a1" })).toEqual({
      status: 200,
      body: { ok: true },
    });
    expect(conn.closed).toMatchObject({ code: 4001, reason: "agent revoked" });
    expect(other.closed).toBeNull();
    expect(await lab.room.onControl({ type: "agent-revoked", agent_id: "a9" })).toEqual({
      status: 200,
      body: { ok: true },
    });
  });

  it("keeps spectators out", async () => {
    const lab = createLab();
    const viewer = createFakeConnection({ role: "viewer" });
    await lab.room.onConnect(viewer);
    expect(viewer.closed?.code).toBe(4003);
  });

  describe("model pulls", () => {
    const progress = (model: string, fields: Record<string, unknown> = {}) =>
      JSON.stringify({
        type: "model-pull-progress",
        model,
        status: "pulling dde5aa3fc5ff",
        completed_bytes: 1048576,
        total_bytes: 2019377376,
        done: false,
        ...fields,
      });

    it("forwards a pull to the online agents, names the missing ones and lists them queued", async () => {
      const lab = createLab();
      const conn = await lab.join("a1");
      const reply = await lab.room.onControl({ type: "lab-pull", agent_ids: ["a1", "a9"], model: "llama3.2:1b" });
      expect(reply).toEqual({ status: 200, body: { reached: ["a1"], missing: ["a9"] } });
      expect(conn.ofType("model-pull")).toEqual([{ type: "model-pull", model: "llama3.2:1b" }]);
      expect(await lab.room.onControl({ type: "lab-pulls" })).toEqual({
        status: 200,
        body: {
          pulls: [
            {
              agent_id: "a1",
              model: "llama3.2:1b",
              status: "queued",
              completed_bytes: null,
              total_bytes: null,
              done: false,
              error: null,
            },
          ],
        },
      });
    });

    it("keeps the latest progress per agent and model", async () => {
      const lab = createLab();
      const a1 = await lab.join("a1");
      const a2 = await lab.join("a2");
      await lab.room.onMessage(a1, progress("llama3.2:1b"));
      await lab.room.onMessage(a2, progress("llama3.2:1b", { completed_bytes: 5 }));
      await lab.room.onMessage(
        a1,
        progress("llama3.2:1b", { status: "success", completed_bytes: null, total_bytes: null, done: true }),
      );
      await lab.room.onMessage(
        a2,
        progress("nope", {
          status: "failed",
          completed_bytes: null,
          total_bytes: null,
          done: true,
          error: "Ollama has no model named nope.",
        }),
      );
      const reply = await lab.room.onControl({ type: "lab-pulls" });
      expect(reply.body).toEqual({
        pulls: [
          {
            agent_id: "a2",
            model: "llama3.2:1b",
            status: "pulling dde5aa3fc5ff",
            completed_bytes: 5,
            total_bytes: 2019377376,
            done: false,
            error: null,
          },
          {
            agent_id: "a1",
            model: "llama3.2:1b",
            status: "success",
            completed_bytes: null,
            total_bytes: null,
            done: true,
            error: null,
          },
          {
            agent_id: "a2",
            model: "nope",
            status: "failed",
            completed_bytes: null,
            total_bytes: null,
            done: true,
            error: "Ollama has no model named nope.",
          },
        ],
      });
    });

    it("keeps at most rememberedPulls, dropping finished ones first", async () => {
      const lab = createLab();
      const a1 = await lab.join("a1");
      await lab.room.onMessage(a1, progress("running"));
      for (let i = 0; i < rememberedPulls; i++) await lab.room.onMessage(a1, progress(`m${i}`, { done: true }));
      const { pulls } = (await lab.room.onControl({ type: "lab-pulls" })).body as { pulls: { model: string }[] };
      expect(pulls).toHaveLength(rememberedPulls);
      expect(pulls[0]?.model).toBe("running");
      expect(pulls.map((p) => p.model)).not.toContain("m0");
      expect(pulls.at(-1)?.model).toBe(`m${rememberedPulls - 1}`);
    });

    it("updates the fleet on a repeated hello without repeating race joins", async () => {
      const lab = createLab();
      const conn = await lab.join("a1");
      await lab.room.onControl({ type: "lab-dispatch", run_id: "r1", agent_ids: ["a1"] });
      const pulled = {
        ...identity("a1"),
        backends: {
          ollama: { reachable: true, version: "0.5.1", models: [{ name: "llama3.2:1b", size_bytes: 1, digest: "d" }] },
        },
      };
      await lab.room.onMessage(conn, JSON.stringify({ type: "agent-hello", agent: pulled }));
      expect(lab.changes.at(-1)).toEqual({ type: "agent-seen", agent: pulled, status: "online" });
      expect(conn.ofType("race-join")).toEqual([{ type: "race-join", run_id: "r1" }]);
    });

    it("refuses a pull of a model name with spaces", async () => {
      const lab = createLab();
      const reply = await lab.room.onControl({ type: "lab-pull", agent_ids: ["a1"], model: "llama 3" });
      expect(reply.status).toBe(400);
    });
  });
});
