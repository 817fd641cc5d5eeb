/**
 * kill -9 of an agent process in the middle of its job: the other machine's lane finishes as in a
 * clean race, the killed machine's lane ends `agent_lost` once the grace passes, the run is stored
 * with both, and the machine, started again, enrolls as itself and races at once.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storedEventSchema } from "../../coordinator/protocol/race-state.ts";
import { startAgentProcess } from "../../scripts/start-agent-process.ts";
import { type LocalRace, startLocalRace } from "../helpers/local-race.ts";
import { waitForProgress } from "../helpers/wait-for-progress.ts";

describe("an agent process killed mid-job", () => {
  const stateDir = mkdtempSync(join(os.tmpdir(), "bench-killed-agents-"));
  let race: LocalRace;
  let child: ChildProcess | null = null;
  const startLab2 = async () => {
    child = startAgentProcess({
      coordinatorUrl: race.server.url,
      agentToken: race.server.agentToken,
      name: "lab-2",
      stateDir,
    });
    for (;;) {
      const agents = await race.listAgents();
      if (agents.some((a) => a.name === "lab-2" && a.status === "online")) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  beforeAll(async () => {
    race = await startLocalRace({ agentNames: ["lab-1"], env: { BENCH_AGENT_LOST_S: "2" } });
  });
  afterAll(async () => {
    child?.kill("SIGKILL");
    await race?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  it("loses only its lane, keeps the other machine's result, and races again when restarted", async () => {
    await startLab2();
    const run = await race.startRun({
      workload: "compute",
      agents: ["lab-1", "lab-2"],
      params: { n: 10_000_000_000, threads: 1, progress_interval_s: 0.05 },
    });
    const lab2Lane = run.lanes.find((lane) => lane.agent_name === "lab-2");
    if (!lab2Lane) throw new Error("no lane for lab-2");
    await waitForProgress(race.server.url, run.id, lab2Lane.lane_id);
    const exited = new Promise((resolve) => child?.once("exit", resolve));
    child?.kill("SIGKILL");
    await exited;
    await race.raceFinished(run.id);

    const stored = await race.getRun(run.id);
    const lanes = Object.fromEntries(stored.lanes.map((lane) => [lane.agent_name, lane]));
    expect(lanes["lab-2"]).toMatchObject({ status: "lost", error: { code: "agent_lost" } });
    expect(lanes["lab-1"]?.status).toBe("done");
    expect(lanes["lab-1"]?.results).toHaveLength(1);
    expect(lanes["lab-1"]?.results[0]?.metrics).toMatchObject({ primes_found: 455_052_511, verified: true });
    const events = (await (await race.api(`/api/runs/${run.id}/events`)).text())
      .trim()
      .split("\n")
      .map((line) => storedEventSchema.parse(JSON.parse(line)));
    const results = events.filter((e) => e.event.type === "lane-event" && e.event.event.type === "repeat-finish");
    expect(results.map((e) => (e.event.type === "lane-event" ? e.event.lane_id : ""))).toEqual([
      lanes["lab-1"]?.lane_id,
    ]);

    await startLab2();
    const again = await race.startRun({ workload: "compute", agents: ["lab-2"], params: { n: 1_000_000, threads: 1 } });
    await race.raceFinished(again.id);
    const rerun = await race.getRun(again.id);
    expect(rerun.lanes[0]).toMatchObject({ status: "done", agent_id: lab2Lane.agent_id });
    expect(rerun.lanes[0]?.results[0]?.metrics).toMatchObject({ primes_found: 78_498, verified: true });
  });
});
