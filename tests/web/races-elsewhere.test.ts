import { describe, expect, it } from "vitest";
import type { RunList, RunListItem } from "../../coordinator/protocol/api.ts";
import type { LaneState } from "../../coordinator/protocol/race-state.ts";
import type { RunListQuery } from "../../web/src/lib/api-client.ts";
import { findRacesElsewhere, machinesWaitingElsewhere } from "../../web/src/lib/races-elsewhere.ts";
import { replayEvents } from "../../web/src/lib/replay-events.ts";
import { computeRaceEvents } from "./race-fixture.ts";

const lanes = (): LaneState[] => {
  const state = replayEvents(
    computeRaceEvents([
      { name: "alpha", elapsed: [1] },
      { name: "beta", elapsed: [1] },
    ]),
  );
  if (!state) throw new Error("fixture has no setup");
  return state.lanes;
};

const runItem = (id: string): RunListItem => ({
  id,
  workload: "llm",
  status: "running",
  params: {},
  repeats: 1,
  warmup: 0,
  ghost_run_id: null,
  name: null,
  share_url: `http://h/race/${id}`,
  created_at: "2026-01-01T00:00:00.000Z",
  started_at: null,
  finished_at: null,
  lanes: [],
});

describe("races elsewhere", () => {
  it("lists machines whose pending lane waits on nothing in this race", () => {
    const [alpha, beta] = lanes();
    if (!alpha || !beta) throw new Error("two lanes expected");
    const pendingAlpha = { ...alpha, status: "pending" as const, results: [] };
    const secondAlpha = { ...pendingAlpha, lane_id: "alpha-2" };
    expect(machinesWaitingElsewhere([pendingAlpha, beta])).toEqual(["agent-alpha"]);
    expect(machinesWaitingElsewhere([{ ...alpha, status: "running" }, secondAlpha, beta])).toEqual([]);
  });

  it("names the other live race on a busy machine, skipping this race itself", async () => {
    const queries: RunListQuery[] = [];
    const client = {
      async listRuns(query: RunListQuery = {}): Promise<RunList> {
        queries.push(query);
        const runs =
          query.agent === "agent-alpha" && query.status === "running"
            ? [runItem("this-run"), runItem("3f2a9c1e77")]
            : [];
        return { runs, next_cursor: null };
      },
    };
    const found = await findRacesElsewhere(client, "this-run", ["agent-alpha", "agent-beta"]);
    expect([...found.entries()]).toEqual([["agent-alpha", "race 3f2a9c1e (llm)"]]);
    expect(queries.map((q) => `${q.agent}:${q.status}`)).toEqual([
      "agent-alpha:running",
      "agent-beta:running",
      "agent-beta:pending",
    ]);
  });
});
