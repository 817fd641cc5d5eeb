import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { storedEventSchema } from "../../coordinator/protocol/race-state.ts";
import { type LocalRace, startLocalRace } from "../helpers/local-race.ts";

describe("a compute race between two agents in local mode", () => {
  let race: LocalRace;
  beforeAll(async () => {
    race = await startLocalRace({ agentNames: ["lab-1", "lab-2"] });
  });
  afterAll(() => race?.stop());

  it("lists both agents online with their hardware", async () => {
    const agents = await race.listAgents();
    expect(agents.map((a) => [a.name, a.status]).sort()).toEqual([
      ["lab-1", "online"],
      ["lab-2", "online"],
    ]);
    expect(agents[0]?.hardware.cpu_cores).toBeGreaterThan(0);
    expect(agents[0]?.backends.compute?.reachable).toBe(true);
  });

  it("races count-primes on both machines and stores verified results", async () => {
    const created = await race.api("/api/runs", {
      method: "POST",
      body: JSON.stringify({
        workload: "compute",
        agents: ["lab-1", "lab-2"],
        params: { algorithm: "segmented_sieve", n: 10_000_000, threads: 1, progress_interval_s: 0.05 },
        repeats: 2,
        warmup: 1,
      }),
    });
    expect(created.status).toBe(201);
    const { run } = (await created.json()) as { run: { id: string; share_url: string } };
    expect(run.share_url).toBe(`${race.server.url}/runs/${run.id}`);
    await race.raceFinished(run.id);

    const stored = await race.getRun(run.id);
    expect(stored.status).toBe("done");
    expect(stored.lanes.map((lane) => [lane.agent_name, lane.status])).toEqual([
      ["lab-1", "done"],
      ["lab-2", "done"],
    ]);
    for (const lane of stored.lanes) {
      expect(lane.results.map((r) => [r.warmup, r.repeat])).toEqual([
        [true, 0],
        [false, 0],
        [false, 1],
      ]);
      for (const result of lane.results) {
        expect(result.metrics).toMatchObject({ primes_found: 664_579, verified: true, threads_used: 1, n: 10_000_000 });
        expect(result.metrics.elapsed_ms).toBeGreaterThan(0);
      }
      expect(lane.summary?.elapsed_ms?.n).toBe(2);
      expect(lane.provenance?.engine).toBe("bench-race-sieve");
      // one start instant for both machines, on loopback: the target is 5 ms and npm run bench:start measures it;
      // here both agents share the server's event loop on a busy CI machine, so the bound only catches a missed start
      expect(lane.start_skew_ms).toBeGreaterThanOrEqual(0);
      expect(lane.start_skew_ms).toBeLessThan(250);
      expect(lane.start_skew_uncertainty_ms).toBeLessThan(250);
      expect(lane.start_note).toBeNull();
    }
    expect(stored.lanes[0]?.start_at).not.toBeNull();
    expect(stored.lanes[0]?.start_at).toBe(stored.lanes[1]?.start_at);

    const ndjson = await (await race.api(`/api/runs/${run.id}/events`)).text();
    const events = ndjson
      .trim()
      .split("\n")
      .map((line) => storedEventSchema.parse(JSON.parse(line)));
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]?.event.type).toBe("race-setup");
    expect(events.at(-1)?.event).toEqual({ type: "race-finish", status: "done" });

    const csv = await (await race.api(`/api/runs/${run.id}/export.csv`)).text();
    const lines = csv.trim().split(/\r?\n/);
    expect(lines).toHaveLength(1 + 2 * 3);
    expect(lines[0]).toContain("primes_found");
  });

  it("refuses an agent that presents a wrong key at connect", async () => {
    const ws = new WebSocket(
      `${race.server.url.replace("http", "ws")}/parties/lab/main?role=agent&agent_id=x&key=wrong`,
    );
    const status = await new Promise<number>((resolve, reject) => {
      ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      ws.on("open", () => reject(new Error("a wrong key was let in")));
    });
    expect(status).toBe(401);
    const agents = await race.listAgents();
    expect(agents.map((a) => a.id)).not.toContain("x");
  });
});
