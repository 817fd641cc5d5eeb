/**
 * `npm run bench:start`: how closely machines start together. Starts local mode and N agent
 * processes (each a real `bench-race agent`, with its own clock), runs R small compute races on all
 * of them, and prints each lane's start skew (when its measured work began, on its own clock
 * converted to room time, minus the start instant), the spread between machines in one race, and
 * the clock offsets and uncertainties the room measured. Options: --agents 3 --races 10.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type RunView, runViewSchema } from "../coordinator/protocol/api.ts";
import { nearestRank } from "../coordinator/protocol/summary.ts";
import { startAgentProcess } from "./start-agent-process.ts";
import { type ServeProcess, startServeProcess } from "./start-serve-process.ts";

const { values } = parseArgs({
  options: { agents: { type: "string", default: "3" }, races: { type: "string", default: "10" } },
});
const agentCount = Math.min(16, Number(values.agents));
const raceCount = Math.min(100, Number(values.races));
const operatorKey = "bench-start-operator-key-0000000";
const agentToken = "bench-start-agent-token-00000000";

async function waitFor<T>(what: string, read: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const value = await read();
    if (value !== null) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function race(server: ServeProcess, names: string[]): Promise<RunView> {
  const created = (await server.api("/api/runs", {
    method: "POST",
    body: JSON.stringify({
      workload: "compute",
      agents: names,
      params: { algorithm: "segmented_sieve", n: 1e7, threads: 1 },
    }),
  })) as { run: { id: string } };
  return waitFor("the race to finish", async () => {
    const run = runViewSchema.parse(((await server.api(`/api/runs/${created.run.id}`)) as { run: unknown }).run);
    return run.status === "pending" || run.status === "running" ? null : run;
  });
}

const fmt = (ms: number | undefined) => (ms === undefined ? "-" : ms.toFixed(2));
const quantiles = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `${fmt(nearestRank(sorted, 0.5))} / ${fmt(nearestRank(sorted, 0.95))} / ${fmt(sorted.at(-1))}`;
};

async function main(): Promise<void> {
  const server = await startServeProcess({ operatorKey, agentToken });
  const stateDir = mkdtempSync(join(os.tmpdir(), "bench-start-agents-"));
  const names = Array.from({ length: agentCount }, (_, i) => `start-${i + 1}`);
  const agents = names.map((name) => startAgentProcess({ coordinatorUrl: server.url, agentToken, name, stateDir }));
  try {
    await waitFor("every agent to connect", async () => {
      const { agents: seen } = (await server.api("/api/agents")) as { agents: Array<{ status: string }> };
      return seen.filter((a) => a.status === "online").length === agentCount ? true : null;
    });
    const skews: number[] = [];
    const spreads: number[] = [];
    const uncertainties: number[] = [];
    const offsets: number[] = [];
    let notes = 0;
    for (let i = 0; i < raceCount; i++) {
      const run = await race(server, names);
      const lanes = run.lanes.filter((lane) => lane.status === "done" && lane.start_skew_ms !== null);
      const laneSkews = lanes.map((lane) => lane.start_skew_ms ?? 0);
      skews.push(...laneSkews);
      spreads.push(Math.max(...laneSkews) - Math.min(...laneSkews));
      uncertainties.push(...lanes.map((lane) => lane.start_skew_uncertainty_ms ?? Number.NaN));
      offsets.push(...lanes.map((lane) => Math.abs(lane.clock_offset_ms ?? Number.NaN)));
      notes += run.lanes.filter((lane) => lane.start_note !== null).length;
    }
    console.log(
      `\n${raceCount} compute races on ${agentCount} agent processes, loopback, ${os.cpus().length} cores, load average ${os.loadavg()[0]?.toFixed(2)}\n`,
    );
    console.log("| figure (ms) | p50 / p95 / max |");
    console.log("|---|---|");
    console.log(`| start skew per lane | ${quantiles(skews)} |`);
    console.log(`| spread between machines in a race | ${quantiles(spreads)} |`);
    console.log(`| clock offset uncertainty | ${quantiles(uncertainties)} |`);
    console.log(`| measured clock offset (absolute) | ${quantiles(offsets)} |`);
    console.log(`\nlanes with a start note (late, clock unknown): ${notes}`);
  } finally {
    for (const agent of agents) agent.kill("SIGTERM");
    await server.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

await main();
