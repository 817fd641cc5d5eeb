import { describe, expect, it } from "vitest";
import type { RaceState } from "../../coordinator/protocol/race-state.ts";
import { SummaryTable } from "../../web/src/components/summary-table.tsx";
import { formatGap } from "../../web/src/lib/gap-to-leader.ts";
import { findProvenanceMismatches } from "../../web/src/lib/provenance-mismatch.ts";
import { type RankedLane, rankLanes } from "../../web/src/lib/rank-lanes.ts";
import { replayEvents } from "../../web/src/lib/replay-events.ts";
import { workloadView } from "../../web/src/workloads/registry.ts";
import { llmRaceEvents } from "./llm-race-fixture.ts";
import { mount } from "./mount.tsx";
import { computeRaceEvents, type FixtureLane } from "./race-fixture.ts";

function finishedRace(lanes: FixtureLane[]): RaceState {
  const state = replayEvents(computeRaceEvents(lanes));
  if (!state) throw new Error("fixture has no setup");
  return state;
}

/** Ranks by the workload's default metric, as the race page does before the user picks one. */
const rankByDefault = (state: RaceState): RankedLane[] =>
  rankLanes(state, workloadView(state.run.workload)?.rankingMetrics(state.run.params)[0] ?? null);

const race = () =>
  finishedRace([
    { name: "alpha", elapsed: [1000, 3000, 1200] },
    { name: "mocky", elapsed: [10, 10, 10], mock: true },
    { name: "beta", elapsed: [1100, 1100, 900] },
  ]);

describe("rankLanes", () => {
  it("places compute lanes by median elapsed_ms and leaves mock lanes unplaced", () => {
    const rows = rankByDefault(race());
    expect(rows.map((row) => [row.lane.agent_name, row.place, row.mock])).toEqual([
      ["beta", 1, false],
      ["alpha", 2, false],
      ["mocky", null, true],
    ]);
    expect(rows[0]?.measure?.median).toBe(1100);
    expect(rows[1]?.measure?.max).toBe(3000);
  });

  it("gives tied lanes the same place", () => {
    const rows = rankByDefault(
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
    expect(rankByDefault(dragRace).map((row) => [row.lane.agent_name, row.place, row.measure?.median])).toEqual([
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
    expect(rankByDefault(running).map((row) => [row.lane.agent_name, row.place])).toEqual([
      ["alpha", 1],
      ["mocky", null],
      ["beta", null],
    ]);
  });
});

describe("rankLanes for an llm race", () => {
  const llmRace = () => {
    const state = replayEvents(
      llmRaceEvents([
        { name: "slow", rates: [20, 24, 22] },
        { name: "mocky", rates: [900, 900, 900], mock: true },
        { name: "fast", rates: [61, 55, 58] },
      ]),
    );
    if (!state) throw new Error("fixture has no setup");
    return state;
  };

  it("places lanes by median gen_tokens_per_s, highest first, and leaves the mock lane unplaced", () => {
    const rows = rankByDefault(llmRace());
    expect(rows.map((row) => [row.lane.agent_name, row.place, row.mock, row.measure?.median ?? null])).toEqual([
      ["fast", 1, false, 58],
      ["slow", 2, false, 22],
      ["mocky", null, true, null],
    ]);
  });

  it("places by the metric the viewer picks, lowest first where lower is better", () => {
    const total = workloadView("llm")
      ?.rankingMetrics({})
      .find((metric) => metric.name === "total_ms");
    if (!total) throw new Error("llm has no total_ms ranking");
    const rows = rankLanes(llmRace(), total);
    expect(rows.map((row) => [row.lane.agent_name, row.place])).toEqual([
      ["fast", 1],
      ["slow", 2],
      ["mocky", null],
    ]);
    expect(rows[0]?.measure?.median).toBeCloseTo(180 + (128 / 58) * 1000);
  });

  it("shows the llm columns, with the mock lane marked and without figures", () => {
    const host = mount(() => <SummaryTable state={llmRace()} />);
    const headers = [...host.querySelectorAll("th")].map((th) => th.textContent);
    expect(headers).toEqual([
      "Place ▲",
      "Machine",
      "Status",
      "Median gen tokens/s",
      "Gap",
      "Min",
      "Max",
      "Stdev",
      "Model",
      "Median TTFT",
      "Median engine gen",
    ]);
    const rows = [...host.querySelectorAll('[data-testid="summary-row"]')];
    expect(rows.map((row) => row.querySelector('[data-testid="median"]')?.textContent)).toEqual([
      "58 tok/s",
      "22 tok/s",
      "—",
    ]);
    expect([...(rows[0]?.querySelectorAll("td") ?? [])].slice(-3).map((td) => td.textContent)).toEqual([
      "llama3.2:3b",
      "180 ms",
      "60 tok/s",
    ]);
    expect(rows[2]?.textContent).toContain("mock");
  });
});

describe("SummaryTable", () => {
  it("lists lanes best first with median, min, max and stdev, and marks the mock lane", () => {
    const host = mount(() => <SummaryTable state={race()} />);
    const table = host.querySelector('[data-testid="summary-table"]');
    const headers = [...(table?.querySelectorAll("th") ?? [])].map((th) => th.textContent);
    expect(headers).toEqual([
      "Place ▲",
      "Machine",
      "Status",
      "Median elapsed",
      "Gap",
      "Min",
      "Max",
      "Stdev",
      "Primes found",
    ]);
    const rows = [...host.querySelectorAll('[data-testid="summary-row"]')];
    expect(rows.map((row) => row.getAttribute("data-agent-name"))).toEqual(["beta", "alpha", "mocky"]);
    expect(rows.map((row) => row.querySelector('[data-testid="place"]')?.textContent)).toEqual(["1", "2", "—"]);
    expect(rows[0]?.querySelector('[data-testid="median"]')?.textContent).toBe("1.10 s");
    expect(rows.map((row) => row.querySelector('[data-testid="gap"]')?.textContent)).toEqual([
      "leader",
      "+100 ms, 9.1 % slower",
      "—",
    ]);
    expect(host.querySelector('[data-testid="provenance-mismatch"]')).toBeNull();
    expect(rows[2]?.textContent).toContain("mock");
    expect(rows[2]?.classList.contains("mock")).toBe(true);
  });

  it("marks a lane whose compute engine version differs from the other machines'", () => {
    const state = race();
    const versions: Record<string, string> = { alpha: "0.2.0", beta: "0.1.0", mocky: "0.1.0" };
    const mixed: RaceState = {
      ...state,
      lanes: state.lanes.map((lane) => ({
        ...lane,
        provenance: lane.provenance && { ...lane.provenance, engine_version: versions[lane.agent_name] ?? null },
      })),
    };
    const found = findProvenanceMismatches(mixed.lanes);
    expect([...found.entries()]).toEqual([["lane-alpha", { field: "engine version", value: "0.2.0", usual: "0.1.0" }]]);
    const host = mount(() => <SummaryTable state={mixed} />);
    const marked = host.querySelector('[data-agent-name="alpha"] [data-testid="provenance-mismatch"]');
    expect(marked?.textContent).toBe("⚠ engine version differs");
    expect(host.querySelectorAll('[data-testid="provenance-mismatch"]')).toHaveLength(1);
  });
});

describe("sorting the standings", () => {
  it("sorts by a clicked column, the other way on a second click, rows without values last", () => {
    const host = mount(() => <SummaryTable state={race()} />);
    const order = () =>
      [...host.querySelectorAll('[data-testid="summary-row"]')].map((row) => row.getAttribute("data-agent-name"));
    expect(order()).toEqual(["beta", "alpha", "mocky"]);
    host.querySelector<HTMLButtonElement>('[data-testid="sort-machine"]')?.click();
    expect(order()).toEqual(["alpha", "beta", "mocky"]);
    host.querySelector<HTMLButtonElement>('[data-testid="sort-machine"]')?.click();
    expect(order()).toEqual(["mocky", "beta", "alpha"]);
    host.querySelector<HTMLButtonElement>('[data-testid="sort-max"]')?.click();
    expect(order()).toEqual(["beta", "alpha", "mocky"]);
    host.querySelector<HTMLButtonElement>('[data-testid="sort-max"]')?.click();
    expect(order()).toEqual(["alpha", "beta", "mocky"]);
    expect(host.querySelector('th[aria-sort="descending"]')?.textContent).toBe("Max ▼");
  });
});

describe("formatGap", () => {
  const rate = { name: "gen_tokens_per_s", label: "Gen", higherIsBetter: true, format: (v: number) => `${v} tok/s` };
  const time = { name: "elapsed_ms", label: "Elapsed", higherIsBetter: false, format: (v: number) => `${v} ms` };
  it("reads like a race: how far behind and how much slower", () => {
    expect(formatGap(time, 5000, 5530)).toBe("+530 ms, 11 % slower");
    expect(formatGap(rate, 50, 45.5)).toBe("−4.5 tok/s, 9 % slower");
    expect(formatGap(rate, 50, 50)).toBe("leader");
    expect(formatGap(time, 0, 10)).toBe("+10 ms");
  });
});
