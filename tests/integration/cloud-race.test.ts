/**
 * Cloud mode end to end: the rooms under real `partykit dev`, the API in this process
 * (`serve --cloud`), two real agents that know only the PartyKit URL (the front door), and the
 * stored run checked through the API. Later races survive `partykit dev` restarting mid-race (the
 * room's memory is lost; its storage on disk is not), as a Durable Object eviction would, and the
 * API going away mid-race.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { WebSocket } from "ws";
import { deriveAgentKey } from "../../coordinator/protocol/agent-key.ts";
import { type StoredEvent, storedEventSchema } from "../../coordinator/protocol/race-state.ts";
import { type CloudRace, startCloudRace } from "../helpers/cloud-race.ts";
import { isRaceOver, spectate } from "../helpers/watch-race.ts";

describe("a compute race with the rooms on partykit dev and the API in cloud mode", () => {
  let cloud: CloudRace;
  beforeAll(async () => {
    cloud = await startCloudRace({ agentNames: ["lab-1", "lab-2"] });
  }, 90_000);
  afterAll(() => cloud?.stop());

  /** waits for the API to hold the run as finished (the rooms' sink writes it) */
  const stored = (id: string) =>
    vi.waitFor(
      async () => {
        const run = await cloud.getRun(id);
        if (run.finished_at === null) throw new Error(`run ${id} is ${run.status}`);
        return run;
      },
      { timeout: 45_000, interval: 200 },
    );
  const storedEvents = async (id: string): Promise<StoredEvent[]> =>
    (await (await cloud.call(`/api/runs/${id}/events`)).text())
      .trim()
      .split("\n")
      .map((line) => storedEventSchema.parse(JSON.parse(line)));
  /** resolves once a job's first event is stored: the race is under way */
  const underWay = (id: string) =>
    vi.waitFor(
      async () => {
        if (!(await storedEvents(id)).some((e) => e.event.type === "lane-event")) throw new Error("no lane event yet");
      },
      { timeout: 30_000, interval: 100 },
    );
  const dragRace = { workload: "compute", agents: ["lab-1", "lab-2"], repeats: 1, warmup: 0 };

  it("serves the web app, the API and the rooms from one URL", async () => {
    const health = await fetch(`${cloud.url}/api/health`);
    expect(await health.json()).toMatchObject({ ok: true, mode: "cloud" });
    const page = await fetch(`${cloud.url}/runs/some-run`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("bench-race web app");
    const agents = (await (await cloud.call("/api/agents")).json()) as {
      agents: Array<{ name: string; status: string }>;
    };
    expect(agents.agents.map((a) => [a.name, a.status]).sort()).toEqual([
      ["lab-1", "online"],
      ["lab-2", "online"],
    ]);
  });

  it("refuses room control without the sink secret, and keeps the sink routes off the front door", async () => {
    const control = await fetch(`${cloud.url}/parties/race/some-run`, {
      method: "POST",
      body: JSON.stringify({ type: "race-cancel" }),
    });
    expect(control.status).toBe(401);
    // percent-encoded spellings are the same route to the API, so the front door refuses them too
    for (const path of ["/api/internal/fleet", "/api/%69nternal/fleet", "/api/internal%2Ffleet"]) {
      const internal = await fetch(`${cloud.url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${cloud.sinkSecret}` },
        body: "{}",
      });
      expect([path, internal.status]).toEqual([path, 404]);
    }
  });

  it("races both machines and stores verified results with a share link on the front door", async () => {
    const run = await cloud.startRun({
      workload: "compute",
      agents: ["lab-1", "lab-2"],
      params: { algorithm: "segmented_sieve", n: 10_000_000, threads: 1, progress_interval_s: 0.05 },
      repeats: 2,
      warmup: 1,
    });
    expect(run.share_url).toBe(`${cloud.url}/runs/${run.id}`);
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
    const events = await storedEvents(run.id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.at(-1)?.event).toEqual({ type: "race-finish", status: "done" });
  });

  it("resumes a live race after the rooms restart mid-race, with every event stored once", async () => {
    const run = await cloud.startRun({
      ...dragRace,
      params: { preset: "drag_race", n: 1_000_000, duration_s: 4, threads: 1 },
    });
    await underWay(run.id);
    await cloud.restartRooms();
    const done = await stored(run.id);
    expect(done.status).toBe("done");
    expect(done.lanes.map((lane) => lane.status)).toEqual(["done", "done"]);
    for (const lane of done.lanes) {
      expect(lane.results).toHaveLength(1);
      expect(lane.results[0]?.metrics.passes).toBeGreaterThan(0);
    }
    const events = await storedEvents(run.id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.filter((e) => e.event.type === "race-finish")).toHaveLength(1);
  });

  it("loses nothing when the API restarts mid-race: the room keeps the events and writes them once it is back", async () => {
    const run = await cloud.startRun({
      ...dragRace,
      params: { preset: "drag_race", n: 1_000_000, duration_s: 3, threads: 1 },
    });
    await underWay(run.id);
    await cloud.stopApi();
    // the race goes on without the API; its end reaches the room while nothing stores it
    await spectate(cloud.url, run.id, isRaceOver);
    await cloud.startApi();
    const done = await stored(run.id);
    expect(done.status).toBe("done");
    expect(done.lanes.map((lane) => [lane.status, lane.results.length])).toEqual([
      ["done", 1],
      ["done", 1],
    ]);
    const events = await storedEvents(run.id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.at(-1)?.event).toEqual({ type: "race-finish", status: "done" });
  });

  it("revokes a machine on the rooms too: its lane ends, its sockets close, and its key is refused afterwards", async () => {
    const lab2 = cloud.agents.find((agent) => agent.agentId.startsWith("lab-2"));
    if (!lab2) throw new Error("no lab-2 agent");
    const run = await cloud.startRun({
      ...dragRace,
      params: { preset: "drag_race", n: 1_000_000, duration_s: 20, threads: 1 },
    });
    await underWay(run.id);
    const revoke = await cloud.call(`/api/agents/${lab2.agentId}/revoke`, { method: "POST", body: "{}" });
    expect(revoke.status).toBe(200);
    await vi.waitFor(
      async () => {
        const lane = (await cloud.getRun(run.id)).lanes.find((l) => l.agent_id === lab2.agentId);
        if (lane?.status !== "lost") throw new Error(`lab-2's lane is ${lane?.status}`);
        expect(lane.error?.code).toBe("agent_revoked");
      },
      { timeout: 15_000, interval: 100 },
    );
    const key = await deriveAgentKey(cloud.agentKeySecret, lab2.agentId);
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(
        `${cloud.url.replace("http", "ws")}/parties/lab/main?role=agent&agent_id=${lab2.agentId}&key=${key}`,
      );
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.on("open", () => resolve(101));
      ws.on("error", () => undefined);
    });
    expect(refused).toBe(403);
    await cloud.call(`/api/runs/${run.id}/cancel`, { method: "POST", body: "{}" });
  });
});
