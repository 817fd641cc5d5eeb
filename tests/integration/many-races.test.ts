import { afterEach, describe, expect, it } from "vitest";
import { type LocalRace, startLocalRace } from "../helpers/local-race.ts";
import { referencePrimeCounts } from "../unit/compute/reference-prime-counts.ts";

describe("many races and look-alike machines", () => {
  let race: LocalRace;
  afterEach(() => race.stop());

  it("runs 20 races at once on three machines with every lane's count exact", async () => {
    race = await startLocalRace({ agentNames: ["m-1", "m-2", "m-3"] });
    const names = ["m-1", "m-2", "m-3"];
    const runs = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        race.startRun({
          workload: "compute",
          agents: [names[i % 3], names[(i + 1) % 3]],
          params: { algorithm: "segmented_sieve", n: 1_000_000 + i, threads: 1 },
        }),
      ),
    );
    await Promise.all(runs.map((run) => race.raceFinished(run.id)));
    const pi = referencePrimeCounts(1_000_020);
    for (const [i, created] of runs.entries()) {
      const run = await race.getRun(created.id);
      expect(run.status).toBe("done");
      for (const lane of run.lanes) {
        expect(lane.status).toBe("done");
        expect(lane.results.map((r) => r.metrics.primes_found)).toEqual([pi[1_000_000 + i]]);
      }
    }
    // about 14 lanes per machine run one after another, each set up, gated and started: minutes on a busy 2-core CI
  }, 180_000);

  it("keeps two machines that share a name apart: each enrolls as itself and both can race", async () => {
    race = await startLocalRace({ agentNames: [] });
    const first = await race.addAgent("lab", {}, { machine: "first" });
    const second = await race.addAgent("lab", {}, { machine: "second" });
    expect(first.agentId).not.toBe(second.agentId);
    const agents = await race.listAgents();
    expect(agents.filter((a) => a.name === "lab").map((a) => a.status)).toEqual(["online", "online"]);
    const run = await race.startRun({
      workload: "compute",
      agents: [first.agentId, second.agentId],
      params: { n: 100_000 },
    });
    await race.raceFinished(run.id);
    const stored = await race.getRun(run.id);
    expect(stored.lanes.map((lane) => [lane.agent_id, lane.status])).toEqual([
      [first.agentId, "done"],
      [second.agentId, "done"],
    ]);
  });
});
