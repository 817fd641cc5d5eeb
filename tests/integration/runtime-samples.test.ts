import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { operatorSessionValue } from "../../coordinator/api/operator-auth.ts";
import { energySources } from "../../coordinator/protocol/enums.ts";
import { type LabToOperator, labToOperatorSchema } from "../../coordinator/protocol/messages.ts";
import { machineSampleSchema } from "../../coordinator/protocol/runtime-sample.ts";
import { type LocalRace, startLocalRace } from "../helpers/local-race.ts";

describe("runtime samples and energy through local mode", () => {
  let race: LocalRace;
  beforeAll(async () => {
    race = await startLocalRace({ agentNames: ["lab-1"] });
  });
  afterAll(() => race?.stop());

  it("stores the machine's samples over a race, and every result says its energy source", async () => {
    // 150 tokens at the mock engine's 20 ms each: about 3 s, so the 1 Hz sampler reports during it
    const run = await race.startRun({
      workload: "llm",
      backend: "mock",
      agents: ["lab-1"],
      params: { prompt: "samples", max_tokens: 150 },
    });
    await race.raceFinished(run.id);
    const agentId = race.agents[0]?.agentId;
    const samples = await vi.waitFor(async () => {
      const text = await (await race.api(`/api/runs/${run.id}/samples`)).text();
      const lines =
        text.trim() === ""
          ? []
          : text
              .trim()
              .split("\n")
              .map((line) => machineSampleSchema.parse(JSON.parse(line)));
      expect(lines.length).toBeGreaterThan(0);
      return lines;
    });
    expect(new Set(samples.map((s) => s.agent_id))).toEqual(new Set([agentId]));
    const stored = await race.getRun(run.id);
    const created = Date.parse(stored.created_at);
    const finished = Date.parse(stored.finished_at ?? "");
    for (const sample of samples) {
      expect(sample.at).toBeGreaterThanOrEqual(created);
      expect(sample.at).toBeLessThanOrEqual(finished);
      expect(sample.cpu_percent === null || (sample.cpu_percent >= 0 && sample.cpu_percent <= 100)).toBe(true);
    }
    const metrics = stored.lanes[0]?.results[0]?.metrics ?? {};
    expect(energySources).toContain(metrics.energy_source);
    expect(metrics.energy_j === null).toBe(metrics.energy_source === "none");
    const hardware = (await race.listAgents())[0]?.hardware;
    const snapshot = await (await race.api(`/api/agents/hardware/${stored.lanes[0]?.provenance?.hardware_id}`)).json();
    expect(snapshot.hardware).toEqual(hardware);
  });

  it("lets the operator's browser watch the lab room with its cookie, and refuses a spectator", async () => {
    const url = `${race.server.url.replace("http", "ws")}/parties/lab/main?role=operator`;
    const cookie = `bench_operator=${operatorSessionValue(race.server.operatorKey)}`;
    const operator = new WebSocket(url, { headers: { cookie } });
    const first = await new Promise<LabToOperator>((resolve, reject) => {
      operator.once("message", (data) => resolve(labToOperatorSchema.parse(JSON.parse(String(data)))));
      operator.once("error", reject);
    });
    operator.close();
    expect(first.type === "lab-fleet" && first.agents.map((agent) => agent.name)).toEqual(["lab-1"]);
    const spectator = new WebSocket(url);
    // the refused upgrade is the outcome under test; closing after it reports an error we expect
    spectator.on("error", () => {});
    const status = await new Promise<number | undefined>((resolve) => {
      spectator.once("unexpected-response", (_req, res) => resolve(res.statusCode));
      spectator.once("open", () => resolve(101));
    });
    spectator.terminate();
    expect(status).toBe(401);
  });

  it("has a machine probe its hardware again on the operator's request and report it", async () => {
    const before = (await race.listAgents())[0];
    const agentId = race.agents[0]?.agentId;
    const res = await race.api(`/api/agents/${agentId}/probe`, { method: "POST" });
    expect(await res.json()).toEqual({ reached: [agentId], missing: [] });
    await vi.waitFor(
      async () => {
        const after = (await race.listAgents())[0];
        expect(Date.parse(after?.last_seen_at ?? "")).toBeGreaterThan(Date.parse(before?.last_seen_at ?? ""));
        expect(after?.hardware).toEqual(before?.hardware);
      },
      { timeout: 10_000 },
    );
  });
});
