import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storedEventSchema } from "../../coordinator/protocol/race-state.ts";
import { type LocalRace, startLocalRace } from "../helpers/local-race.ts";
import { waitForProgress } from "../helpers/wait-for-progress.ts";

const longCount = { algorithm: "simple_sieve", n: 400_000_000, progress_interval_s: 0.05 };

describe("an agent whose sockets drop in the middle of a race", () => {
  let race: LocalRace;
  beforeAll(async () => {
    race = await startLocalRace({ agentNames: ["lab-1"] });
  });
  afterAll(() => race?.stop());

  it("reconnects by itself and its lane finishes with every event stored once, in order", async () => {
    const run = await race.startRun({
      workload: "compute",
      agents: ["lab-1"],
      params: longCount,
    });

    await waitForProgress(race.server.url, run.id);
    race.server.host.closeAll();
    await race.raceFinished(run.id);

    const stored = await race.getRun(run.id);
    expect(stored.lanes[0]?.error).toBeNull();
    expect(stored.lanes[0]?.status).toBe("done");
    expect(stored.lanes[0]?.results[0]?.metrics.primes_found).toBe(21_336_326);
    const ndjson = await (await race.api(`/api/runs/${run.id}/events`)).text();
    const jobSeqs = ndjson
      .trim()
      .split("\n")
      .map((line) => storedEventSchema.parse(JSON.parse(line)).event)
      .flatMap((event) => (event.type === "lane-event" ? [event.job_seq] : []));
    expect(jobSeqs).toEqual(jobSeqs.map((_, i) => i + 1));
    expect(jobSeqs.length).toBeGreaterThan(3);
  });
});

describe("an agent stopped in the middle of a race", () => {
  let race: LocalRace;
  beforeAll(async () => {
    race = await startLocalRace({ agentNames: ["lab-1"] });
  });
  afterAll(() => race?.stop());

  it("says so before it hangs up: its lane fails as agent_stopped", async () => {
    const run = await race.startRun({ workload: "compute", agents: ["lab-1"], params: longCount });
    await waitForProgress(race.server.url, run.id);
    await race.agents[0]?.close();
    await race.raceFinished(run.id);

    const stored = await race.getRun(run.id);
    expect(stored.lanes[0]).toMatchObject({ status: "failed", error: { code: "agent_stopped" } });
  });
});

describe("an agent that crashes and restarts in the middle of a race", () => {
  let race: LocalRace;
  beforeAll(async () => {
    race = await startLocalRace({ agentNames: ["lab-1"] });
  });
  afterAll(() => race?.stop());

  it("comes back to the race, and its lane fails honestly instead of waiting to be lost", async () => {
    const run = await race.startRun({ workload: "compute", agents: ["lab-1"], params: longCount });
    await waitForProgress(race.server.url, run.id);
    race.agents[0]?.connection.close();
    await race.addAgent("lab-1");
    await race.raceFinished(run.id);

    const stored = await race.getRun(run.id);
    expect(stored.status).toBe("failed");
    expect(stored.lanes[0]).toMatchObject({ status: "failed", error: { code: "agent_restarted" } });
  });
});
