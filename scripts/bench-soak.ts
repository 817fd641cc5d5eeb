/**
 * `npm run bench:soak`: races and spectators for a while, and the coordinator's resident memory over
 * time, which must stay flat. Starts local mode and 3 agent processes, then runs back-to-back races
 * (an LLM race on the mock engine and a compute race, alternating) with 30 spectators per race who
 * come and go, and samples the server process's RSS every 10 s from /proc. Options: --minutes 10
 * (at most 30), --viewers 30. Linux only (it reads /proc).
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { WebSocket } from "ws";
import { runViewSchema } from "../coordinator/protocol/api.ts";
import { startAgentProcess } from "./start-agent-process.ts";
import { type ServeProcess, startServeProcess } from "./start-serve-process.ts";

const { values } = parseArgs({
  options: { minutes: { type: "string", default: "10" }, viewers: { type: "string", default: "30" } },
});
const minutes = Math.min(30, Number(values.minutes));
const viewersPerRace = Math.min(200, Number(values.viewers));
const operatorKey = "bench-soak-operator-key-00000000";
const agentToken = "bench-soak-agent-token-000000000";
const names = ["soak-1", "soak-2", "soak-3"];
/** the sustained rate at which the coordinator starts races */
const raceStartGapMs = 2_000;

const rssMiB = (pid: number) => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : Number.NaN;
};

/** spectators that watch a race until it finishes, half of them leaving and coming back midway */
function watch(url: string, runId: string): Promise<void> {
  const wsUrl = `${url.replace("http", "ws")}/parties/race/${runId}`;
  const one = (index: number) =>
    new Promise<void>((resolve) => {
      const ws = new WebSocket(wsUrl);
      let frames = 0;
      ws.on("message", (data) => {
        frames += 1;
        const text = String(data);
        if (text.includes('"race-finish"') || (frames === 1 && text.includes('"finished_at":1'))) ws.close();
        else if (index % 2 === 0 && frames === 20) {
          ws.close();
          void one(index + 1).then(resolve);
        }
      });
      ws.on("close", () => resolve());
      ws.on("error", () => resolve());
    });
  return Promise.all(Array.from({ length: viewersPerRace }, (_, i) => one(i))).then(() => undefined);
}

async function raceOnce(server: ServeProcess, index: number): Promise<void> {
  const body =
    index % 2 === 0
      ? { workload: "llm", backend: "mock", agents: names, params: { prompt: "soak", max_tokens: 100 } }
      : { workload: "compute", agents: names, params: { n: 20_000_000, threads: 1 }, repeats: 2 };
  const { run } = (await server.api("/api/runs", { method: "POST", body: JSON.stringify(body) })) as {
    run: { id: string };
  };
  await watch(server.url, run.id);
  for (;;) {
    const view = runViewSchema.parse(((await server.api(`/api/runs/${run.id}`)) as { run: unknown }).run);
    if (view.status !== "pending" && view.status !== "running") return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function main(): Promise<void> {
  const server = await startServeProcess({ operatorKey, agentToken });
  const pid = server.child.pid ?? 0;
  const stateDir = mkdtempSync(join(os.tmpdir(), "bench-soak-agents-"));
  const agents: ChildProcess[] = names.map((name) =>
    startAgentProcess({ coordinatorUrl: server.url, agentToken, name, stateDir }),
  );
  const samples: Array<{ minute: number; rss: number }> = [];
  const started = performance.now();
  const sampler = setInterval(
    () => samples.push({ minute: (performance.now() - started) / 60_000, rss: rssMiB(pid) }),
    10_000,
  );
  let races = 0;
  try {
    for (;;) {
      const online = ((await server.api("/api/agents")) as { agents: Array<{ status: string }> }).agents;
      if (online.filter((a) => a.status === "online").length === names.length) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    samples.push({ minute: 0, rss: rssMiB(pid) });
    while (performance.now() - started < minutes * 60_000) {
      const raceStarted = performance.now();
      await raceOnce(server, races);
      races += 1;
      // the coordinator takes one race every 2 s once its burst is spent (docs/limits.md)
      const wait = raceStartGapMs - (performance.now() - raceStarted);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  } finally {
    clearInterval(sampler);
    samples.push({ minute: (performance.now() - started) / 60_000, rss: rssMiB(pid) });
    for (const agent of agents) agent.kill("SIGTERM");
    await server.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
  const firstMinute = samples.filter((s) => s.minute <= 1.5).map((s) => s.rss);
  const lastMinute = samples.filter((s) => s.minute >= minutes - 1).map((s) => s.rss);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`\n${races} races with ${viewersPerRace} spectators each in ${minutes} min; coordinator RSS (MiB):\n`);
  console.log("| minute | RSS MiB |");
  console.log("|---|---|");
  for (const sample of samples.filter((_, i) => i % 6 === 0 || i === samples.length - 1)) {
    console.log(`| ${sample.minute.toFixed(1)} | ${sample.rss.toFixed(1)} |`);
  }
  console.log(
    `\nfirst 1.5 min mean ${mean(firstMinute).toFixed(1)} MiB, last minute mean ${mean(lastMinute).toFixed(1)} MiB, peak ${Math.max(...samples.map((s) => s.rss)).toFixed(1)} MiB`,
  );
}

await main();
