import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { credentialsFile } from "../../agent/enroll-agent.ts";
import { enrollGrantSchema } from "../../coordinator/protocol/api.ts";
import { type LocalRace, startLocalRace } from "../helpers/local-race.ts";
import { spectate } from "../helpers/watch-race.ts";

/** status of a WebSocket upgrade: the HTTP status it was refused with, or 101 when it opened */
function upgradeStatus(url: string): Promise<number> {
  const ws = new WebSocket(url);
  return new Promise((resolve) => {
    ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.on("open", () => {
      ws.close();
      resolve(101);
    });
  });
}

/** resolves once a lane of the run has started its measured work */
const laneStarted = (race: LocalRace, runId: string) =>
  spectate(
    race.server.url,
    runId,
    (message) =>
      (message.type === "race-snapshot" && message.state.lanes.some((lane) => lane.status === "running")) ||
      (message.type === "race-delta" &&
        message.events.some((e) => e.event.type === "lane-event" && e.event.event.type === "job-start")),
  );

describe("agent identity", () => {
  let race: LocalRace;
  beforeEach(async () => {
    race = await startLocalRace({ agentNames: ["lab-1"] });
  });
  afterEach(() => race.stop());

  it("enrolls with the enrollment token only, and gives each enrollment its own id", async () => {
    const enroll = (token: string) =>
      fetch(`${race.server.url}/api/agents/enroll`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "lab-1" }),
      });
    const refused = await enroll("wrong");
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.message).toMatch(/Enrollment token refused/);
    const first = enrollGrantSchema.parse(await (await enroll(race.server.agentToken)).json());
    const second = enrollGrantSchema.parse(await (await enroll(race.server.agentToken)).json());
    expect(first.agent_id).not.toBe(second.agent_id);
    expect(first.agent_id).not.toBe(race.agents[0]?.agentId);
    const ws = race.server.url.replace("http", "ws");
    expect(
      await upgradeStatus(`${ws}/parties/lab/main?role=agent&agent_id=${first.agent_id}&key=${first.agent_key}`),
    ).toBe(101);
    // a key is good for its own id only
    expect(
      await upgradeStatus(
        `${ws}/parties/lab/main?role=agent&agent_id=${race.agents[0]?.agentId}&key=${first.agent_key}`,
      ),
    ).toBe(401);
  });

  it("revokes a machine mid-race: its lane ends at once, it is disconnected and refused afterwards", async () => {
    const agentId = race.agents[0]?.agentId ?? "";
    const run = await race.startRun({
      workload: "compute",
      agents: ["lab-1"],
      params: { algorithm: "segmented_sieve", n: 1e12, threads: 1 },
    });
    await laneStarted(race, run.id);
    const revoked = await race.api(`/api/agents/${agentId}/revoke`, { method: "POST", body: "{}" });
    expect(revoked.status).toBe(200);
    expect((await revoked.json()).agent.revoked_at).not.toBeNull();
    await race.raceFinished(run.id);
    const stored = await race.getRun(run.id);
    expect(stored.lanes[0]).toMatchObject({ status: "lost", error: { code: "agent_revoked" } });
    const agents = await race.listAgents();
    expect(agents.find((a) => a.id === agentId)).toMatchObject({ status: "offline" });
    const file = credentialsFile(race.agentStateDir, "lab-1", race.server.url);
    const { agent_key: key } = enrollGrantSchema.parse(JSON.parse(readFileSync(file, "utf8")));
    const ws = race.server.url.replace("http", "ws");
    expect(await upgradeStatus(`${ws}/parties/lab/main?role=agent&agent_id=${agentId}&key=${key}`)).toBe(403);
  });

  it("answers 404 for revoking an agent that does not exist", async () => {
    const res = await race.api("/api/agents/nobody/revoke", { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
  });
});
