import { describe, expect, it } from "vitest";
import type { RaceState } from "../../coordinator/protocol/race-state.ts";
import { SummaryTable } from "../../web/src/components/summary-table.tsx";
import { rankLanes } from "../../web/src/lib/rank-lanes.ts";
import { replayEvents } from "../../web/src/lib/replay-events.ts";
import { mount } from "./mount.tsx";
import { computeRaceEvents, type FixtureLane } from "./race-fixture.ts";

function finishedRace(lanes: FixtureLane[]): RaceState {
  const state = replayEvents(computeRaceEvents(lanes));
  if (!state) throw new Error("fixture has no setup");
  return state;
}

const race = () =>
  finishedRace([
    { name: "alpha", elapsed: [1000, 3000, 1200] },
    { name: "mocky", elapsed: [10, 10, 10], mock: true },
    { name: "beta", elapsed: [1100, 1100, 900] },
  ]);

describe("rankLanes", () => {
  it("places compute lanes by median elapsed_ms and leaves mock lanes unplaced", () => {
    const rows = rankLanes(race());
    expect(rows.map((row) => [row.lane.agent_name, row.place, row.mock])).toEqual([
      ["beta", 1, false],
      ["alpha", 2, false],
      ["mocky", null, true],
    ]);
    expect(rows[0]?.measure?.median).toBe(1100);
    expect(rows[1]?.measure?.max).toBe(3000);
  });

  it("gives tied lanes the same place", () => {
    const rows = rankLanes(
      finishedRace([
        { name: "a", elapsed: [500] },
        { name: "b", elapsed: [500] },
        { name: "c", elapsed: [700] },
      ]),
    );
    expect(rows.map((row) => row.place)).toEqual([1, 1, 3]);
  });

  it("places a drag race by median passes_per_sec, highest first", () => {
    const state = finishedRace([
      { name: "slow", elapsed: [5000] },
      { name: "fast", elapsed: [5000] },
    ]);
    const rates: Record<string, number> = { slow: 120.5, fast: 480.25 };
    const dragRace: RaceState = {
      ...state,
      run: { ...state.run, params: { ...state.run.params, preset: "drag_race" } },
      lanes: state.lanes.map((lane) => ({
        ...lane,
        results: lane.results.map((result) => ({
          ...result,
          metrics: { ...result.metrics, passes_per_sec: rates[lane.agent_name] ?? 0 },
        })),
      })),
    };
    expect(rankLanes(dragRace).map((row) => [row.lane.agent_name, row.place, row.measure?.median])).toEqual([
      ["fast", 1, 480.25],
      ["slow", 2, 120.5],
    ]);
  });

  it("does not place a lane that has not finished", () => {
    const state = race();
    const running: RaceState = {
      ...state,
      lanes: state.lanes.map((lane) => (lane.agent_name === "beta" ? { ...lane, status: "running" } : lane)),
    };
    expect(rankLanes(running).map((row) => [row.lane.agent_name, row.place])).toEqual([
      ["alpha", 1],
      ["mocky", null],
      ["beta", null],
    ]);
  });
});

describe("SummaryTable", () => {
  it("lists lanes best first with median, min, max and stdev, and marks the mock lane", () => {
    const host = mount(() => <SummaryTable state={race()} />);
    const table = host.querySelector('[data-testid="summary-table"]');
    const headers = [...(table?.querySelectorAll("th") ?? [])].map((th) => th.textContent);
    expect(headers).toEqual(["Place", "Machine", "Status", "Median elapsed", "Min", "Max", "Stdev", "Primes found"]);
    const rows = [...host.querySelectorAll('[data-testid="summary-row"]')];
    expect(rows.map((row) => row.getAttribute("data-agent-name"))).toEqual(["beta", "alpha", "mocky"]);
    expect(rows.map((row) => row.querySelector('[data-testid="place"]')?.textContent)).toEqual(["1", "2", "—"]);
    expect(rows[0]?.querySelector('[data-testid="median"]')?.textContent).toBe("1.10 s");
    expect(rows[2]?.textContent).toContain("mock");
    expect(rows[2]?.classList.contains("mock")).toBe(true);
  });
});
