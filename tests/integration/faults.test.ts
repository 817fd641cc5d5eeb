/**
 * Races through a loopback proxy that cuts, stalls and delays the agents' connections mid-race:
 * every result is stored once, exactly as a clean race stores it, and no event is lost or doubled.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RunView } from "../../coordinator/protocol/api.ts";
import { storedEventSchema } from "../../coordinator/protocol/race-state.ts";
import { type FaultProxy, startFaultProxy } from "../helpers/fault-proxy.ts";
import { type LocalRace, startLocalRace } from "../helpers/local-race.ts";
import { isRaceOver, spectate } from "../helpers/watch-race.ts";

/** 120 tokens at the mock engine's 20 ms each: about 2.4 s a pass */
const llmRace = {
  workload: "llm",
  backend: "mock",
  agents: ["lab-1", "lab-2"],
  params: { prompt: "faults", max_tokens: 120 },
  repeats: 2,
};

/** what must come out the same whatever the network did */
const outcome = (run: RunView) =>
  run.lanes.map((lane) => ({
    agent: lane.agent_name,
    status: lane.status,
    results: lane.results.map((r) => [r.warmup, r.repeat, r.metrics.gen_tokens, r.output]),
  }));

async function laneSeqs(race: LocalRace, runId: string): Promise<Record<string, number[]>> {
  const ndjson = await (await race.api(`/api/runs/${runId}/events`)).text();
  const seqs: Record<string, number[]> = {};
  for (const line of ndjson.trim().split("\n")) {
    const { event } = storedEventSchema.parse(JSON.parse(line));
    if (event.type === "lane-event") seqs[event.lane_id] = [...(seqs[event.lane_id] ?? []), event.job_seq];
  }
  return seqs;
}

/**
 * Runs each fault once the race has streamed that many text chunks (as a spectator sees them),
 * so the faults land mid-race whatever the machine's speed; resolves with how many ran once all
 * have, or the race finished.
 */
async function faultsAt(
  race: LocalRace,
  runId: string,
  plan: Array<[chunks: number, fault: () => void]>,
): Promise<number> {
  let chunks = 0;
  const pending = [...plan];
  await spectate(race.server.url, runId, (message) => {
    if (message.type !== "race-delta") return false;
    chunks += message.events.filter((e) => e.event.type === "lane-event" && e.event.event.type === "job-text").length;
    while (pending[0] && chunks >= pending[0][0]) pending.shift()?.[1]();
    return pending.length === 0 || isRaceOver(message);
  });
  return plan.length - pending.length;
}

describe("faults between agents and coordinator", () => {
  let race: LocalRace;
  let proxy: FaultProxy;
  beforeEach(async () => {
    race = await startLocalRace({ agentNames: [] });
    proxy = await startFaultProxy(race.server.url);
    await race.addAgent("lab-1", {}, { via: proxy.url });
    await race.addAgent("lab-2", {}, { via: proxy.url });
  });
  afterEach(async () => {
    await race.stop();
    await proxy.close();
  });

  it("stores every result exactly once through cuts, a stall and delays, as a clean race does", async () => {
    const clean = await race.startRun(llmRace);
    await race.raceFinished(clean.id);

    const faulty = await race.startRun(llmRace);
    const finished = race.raceFinished(faulty.id);
    const connectionsBefore = proxy.connections();
    const faults = await faultsAt(race, faulty.id, [
      [5, () => proxy.cutAll()],
      [20, () => proxy.stall(1500)],
      [35, () => proxy.delay(30)],
      [50, () => proxy.cutAll()],
      [55, () => proxy.delay(0)],
    ]);
    await finished;
    expect(faults).toBe(5);

    expect(proxy.connections()).toBeGreaterThan(connectionsBefore + 2);
    const cleanRun = await race.getRun(clean.id);
    const faultyRun = await race.getRun(faulty.id);
    expect(faultyRun.status).toBe("done");
    expect(outcome(faultyRun)).toEqual(outcome(cleanRun));
    for (const seqs of Object.values(await laneSeqs(race, faulty.id))) {
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    }
  });
});
