/**
 * Cloud mode end to end: the rooms under real `partykit dev`, the API in this process
 * (`serve --cloud`), two real agents that know only the PartyKit URL (the front door), and the
 * stored run checked through the API. A second race survives `partykit dev` restarting mid-race
 * (the room's memory is lost; its storage on disk is not), as a Durable Object eviction would,
 * and a third survives the API going away mid-race.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { type RunningAgent, startAgent } from "../../agent/start-agent.ts";
import { type CloudServer, startCloud } from "../../coordinator/cloud.ts";
import { type RunView, runViewSchema } from "../../coordinator/protocol/api.ts";
import { silentLogger } from "../../coordinator/protocol/logger.ts";
import { raceToViewerSchema } from "../../coordinator/protocol/messages.ts";
import { storedEventSchema } from "../../coordinator/protocol/race-state.ts";
import { parseServeConfig } from "../../coordinator/serve-config.ts";
import { freePort, type PartykitDev, startPartykitDev } from "../helpers/partykit-dev.ts";

const secret = () => randomBytes(24).toString("hex");

describe("a compute race with the rooms on partykit dev and the API in cloud mode", () => {
  const dir = mkdtempSync(join(os.tmpdir(), "bench-race-cloud-"));
  const webDir = join(dir, "web");
  const sinkSecret = secret();
  const agentKeySecret = secret();
  let roomsPort = 0;
  let apiPort = 0;
  /** the API on its fixed port, so the rooms find it again after a restart */
  const startApi = () =>
    startCloud(
      parseServeConfig(
        { port: String(apiPort), host: "127.0.0.1", "data-dir": join(dir, "api"), cloud: true },
        {
          BENCH_ROOMS_URL: `http://127.0.0.1:${roomsPort}`,
          BENCH_SINK_SECRET: sinkSecret,
          BENCH_AGENT_KEY_SECRET: agentKeySecret,
        },
      ),
      silentLogger,
    );
  let rooms: PartykitDev;
  let api: CloudServer;
  const agents: RunningAgent[] = [];
  const startRooms = () =>
    startPartykitDev({
      port: roomsPort,
      serveDir: webDir,
      persistDir: join(dir, "rooms-state"),
      vars: { BENCH_API_URL: api.url, BENCH_SINK_SECRET: sinkSecret, BENCH_AGENT_KEY_SECRET: agentKeySecret },
    });
  /** an API call through the front door, as the dashboard and curl make it */
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${rooms.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${api.operatorKey}`, "content-type": "application/json", ...init.headers },
    });
  const getRun = async (id: string): Promise<RunView> =>
    runViewSchema.parse(((await (await call(`/api/runs/${id}`)).json()) as { run: unknown }).run);
  const startRun = async (body: Record<string, unknown>): Promise<RunView> => {
    const response = await call("/api/runs", { method: "POST", body: JSON.stringify(body) });
    if (response.status !== 201)
      throw new Error(`POST /api/runs answered ${response.status}: ${await response.text()}`);
    return runViewSchema.parse(((await response.json()) as { run: unknown }).run);
  };
  /** waits for the API to hold the run as finished (the rooms' sink writes it) */
  const stored = (id: string) =>
    vi.waitFor(
      async () => {
        const run = await getRun(id);
        if (run.finished_at === null) throw new Error(`run ${id} is ${run.status}`);
        return run;
      },
      { timeout: 45_000, interval: 200 },
    );

  beforeAll(async () => {
    mkdirSync(webDir);
    writeFileSync(join(webDir, "index.html"), "<!doctype html><title>bench-race web app</title>");
    roomsPort = await freePort();
    apiPort = await freePort();
    api = await startApi();
    rooms = await startRooms();
    for (const name of ["lab-1", "lab-2"]) {
      const agent = await startAgent(
        {
          coordinatorUrl: rooms.url,
          token: api.agentToken,
          name,
          stateDir: join(dir, "agents"),
          engines: { ollamaUrl: null, openaiUrl: null, ggufDir: null, llamacppThreads: 1 },
        },
        silentLogger,
      );
      await agent.connection.welcomed;
      agents.push(agent);
    }
  }, 90_000);

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.close(0)));
    await rooms?.stop();
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("serves the web app, the API and the rooms from one URL", async () => {
    const health = await fetch(`${rooms.url}/api/health`);
    expect(await health.json()).toMatchObject({ ok: true, mode: "cloud" });
    const page = await fetch(`${rooms.url}/runs/some-run`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("bench-race web app");
    const agentsList = (await (await call("/api/agents")).json()) as {
      agents: Array<{ name: string; status: string }>;
    };
    expect(agentsList.agents.map((a) => [a.name, a.status]).sort()).toEqual([
      ["lab-1", "online"],
      ["lab-2", "online"],
    ]);
  });

  it("refuses room control without the sink secret, and keeps the sink routes off the front door", async () => {
    const control = await fetch(`${rooms.url}/parties/race/some-run`, {
      method: "POST",
      body: JSON.stringify({ type: "race-cancel" }),
    });
    expect(control.status).toBe(401);
    const internal = await fetch(`${rooms.url}/api/internal/fleet`, {
      method: "POST",
      headers: { authorization: `Bearer ${sinkSecret}` },
      body: "{}",
    });
    expect(internal.status).toBe(404);
  });

  it("races both machines and stores verified results with a share link on the front door", async () => {
    const run = await startRun({
      workload: "compute",
      agents: ["lab-1", "lab-2"],
      params: { algorithm: "segmented_sieve", n: 10_000_000, threads: 1, progress_interval_s: 0.05 },
      repeats: 2,
      warmup: 1,
    });
    expect(run.share_url).toBe(`${rooms.url}/runs/${run.id}`);
    const done = await stored(run.id);
    expect(done.status).toBe("done");
    expect(done.lanes.map((lane) => [lane.agent_name, lane.status])).toEqual([
      ["lab-1", "done"],
      ["lab-2", "done"],
    ]);
    for (const lane of done.lanes) {
      expect(lane.results.map((r) => [r.warmup, r.repeat])).toEqual([
        [true, 0],
        [false, 0],
        [false, 1],
      ]);
      for (const result of lane.results) {
        expect(result.metrics).toMatchObject({ primes_found: 664_579, verified: true, n: 10_000_000 });
      }
    }
    const ndjson = await (await call(`/api/runs/${run.id}/events`)).text();
    const events = ndjson
      .trim()
      .split("\n")
      .map((line) => storedEventSchema.parse(JSON.parse(line)));
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.at(-1)?.event).toEqual({ type: "race-finish", status: "done" });
  });

  it("resumes a live race after the rooms restart mid-race, with every event stored once", async () => {
    const run = await startRun({
      workload: "compute",
      agents: ["lab-1", "lab-2"],
      params: { preset: "drag_race", n: 1_000_000, duration_s: 4, threads: 1 },
      repeats: 1,
      warmup: 0,
    });
    // the race is under way once a job's first event is stored
    await vi.waitFor(
      async () => {
        const text = await (await call(`/api/runs/${run.id}/events`)).text();
        if (!text.includes('"lane-event"')) throw new Error("no lane event yet");
      },
      { timeout: 30_000, interval: 100 },
    );
    await rooms.stop();
    rooms = await startRooms();
    const done = await stored(run.id);
    expect(done.status).toBe("done");
    expect(done.lanes.map((lane) => lane.status)).toEqual(["done", "done"]);
    for (const lane of done.lanes) {
      expect(lane.results).toHaveLength(1);
      expect(lane.results[0]?.metrics.passes).toBeGreaterThan(0);
    }
    const events = (await (await call(`/api/runs/${run.id}/events`)).text())
      .trim()
      .split("\n")
      .map((line) => storedEventSchema.parse(JSON.parse(line)));
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.event.type === "race-finish")).toHaveLength(1);
  });

  it("loses nothing when the API restarts mid-race: the room keeps the events and writes them once it is back", async () => {
    const run = await startRun({
      workload: "compute",
      agents: ["lab-1", "lab-2"],
      params: { preset: "drag_race", n: 1_000_000, duration_s: 3, threads: 1 },
      repeats: 1,
      warmup: 0,
    });
    await vi.waitFor(
      async () => {
        const text = await (await call(`/api/runs/${run.id}/events`)).text();
        if (!text.includes('"lane-event"')) throw new Error("no lane event yet");
      },
      { timeout: 30_000, interval: 100 },
    );
    await api.close();
    // the race goes on without the API; its end reaches the room while nothing stores it
    const watcher = new WebSocket(`${rooms.url.replace("http", "ws")}/parties/race/${run.id}`);
    await new Promise<void>((resolve, reject) => {
      watcher.on("error", reject);
      watcher.on("message", (data) => {
        const message = raceToViewerSchema.parse(JSON.parse(String(data)));
        const finished =
          (message.type === "race-snapshot" && message.state.finished_at !== null) ||
          (message.type === "race-delta" && message.events.some((e) => e.event.type === "race-finish"));
        if (finished) resolve();
      });
    });
    watcher.close();
    api = await startApi();
    const done = await stored(run.id);
    expect(done.status).toBe("done");
    expect(done.lanes.map((lane) => [lane.status, lane.results.length])).toEqual([
      ["done", 1],
      ["done", 1],
    ]);
    const events = (await (await call(`/api/runs/${run.id}/events`)).text())
      .trim()
      .split("\n")
      .map((line) => storedEventSchema.parse(JSON.parse(line)));
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.at(-1)?.event).toEqual({ type: "race-finish", status: "done" });
  });
});
