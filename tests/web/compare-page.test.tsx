import { describe, expect, it, vi } from "vitest";
import type { RunView } from "../../coordinator/protocol/api.ts";
import { compareRuns, parseCompareIds } from "../../web/src/lib/compare-runs.ts";
import { ComparePage } from "../../web/src/pages/compare-page.tsx";
import { workloadView } from "../../web/src/workloads/registry.ts";
import { createFakeFetch, jsonResponse } from "./fake-fetch.ts";
import { mountRoutes } from "./mount.tsx";

/** A finished compute run whose lanes took these median elapsed_ms, by machine name. */
function computeRun(id: string, medians: Record<string, number>): RunView {
  return {
    id,
    workload: "compute",
    status: "done",
    params: { algorithm: "segmented_sieve", n: 1e9 },
    repeats: 3,
    warmup: 0,
    ghost_run_id: null,
    name: id === "base" ? "Before the upgrade" : null,
    share_url: `/runs/${id}`,
    created_at: "2026-01-02T00:00:00.000Z",
    started_at: null,
    finished_at: null,
    lanes: Object.entries(medians).map(([name, median], index) => ({
      lane_id: `l${index}`,
      index,
      agent_id: `a-${name}`,
      agent_name: name,
      backend: "compute",
      model: null,
      params: {},
      status: "done",
      error: null,
      start_at: null,
      start_skew_ms: null,
      start_skew_uncertainty_ms: null,
      clock_offset_ms: null,
      ran_after: null,
      start_note: null,
      provenance: null,
      results: [],
      summary: { elapsed_ms: { n: 3, median, mean: median, stdev: 0, min: median, max: median, p95: median } },
    })),
  };
}

const elapsed = () => {
  const metric = workloadView("compute")?.rankingMetrics({})[0];
  if (!metric) throw new Error("compute has no ranking metric");
  return metric;
};

describe("compareRuns", () => {
  it("sets each machine's median against the baseline, better where lower time", () => {
    const runs = [
      computeRun("base", { desk: 1000, laptop: 2000 }),
      computeRun("after", { desk: 800, laptop: 2200, rack: 500 }),
    ];
    const rows = compareRuns(runs, elapsed(), "base");
    expect(
      rows.map((row) => [row.key, row.cells.map((cell) => [cell.median, cell.change_percent, cell.better])]),
    ).toEqual([
      [
        "desk · compute",
        [
          [1000, null, null],
          [800, -20, true],
        ],
      ],
      [
        "laptop · compute",
        [
          [2000, null, null],
          [2200, 10, false],
        ],
      ],
      [
        "rack · compute",
        [
          [null, null, null],
          [500, null, null],
        ],
      ],
    ]);
    expect(compareRuns(runs, elapsed(), "after")[0]?.cells[0]?.change_percent).toBe(25);
  });

  it("reads ids from the address without repeats", () => {
    expect(parseCompareIds(" a, b,a,,c ")).toEqual(["a", "b", "c"]);
    expect(parseCompareIds(undefined)).toEqual([]);
  });
});

describe("ComparePage", () => {
  it("shows the runs side by side with coloured changes, and pins another baseline in the address", async () => {
    const fake = createFakeFetch({
      "GET /api/runs/base": () => jsonResponse(200, { run: computeRun("base", { desk: 1000 }) }),
      "GET /api/runs/after": () => jsonResponse(200, { run: computeRun("after", { desk: 800 }) }),
    });
    vi.stubGlobal("fetch", fake.fetchFn);
    const { host, history } = mountRoutes("/compare?ids=base,after", { "/compare": ComparePage });
    await vi.waitFor(() => expect(host.querySelectorAll('[data-testid="compare-cell"]')).toHaveLength(2));
    const cells = [...host.querySelectorAll('[data-testid="compare-cell"]')].map((cell) => cell.textContent);
    expect(cells).toEqual(["1.00 s", "800 ms −20 %"]);
    expect(host.querySelector('[data-testid="compare-delta"]')?.classList.contains("better")).toBe(true);
    expect(host.querySelector("th")?.parentElement?.textContent).toContain("Before the upgrade");
    host.querySelector<HTMLButtonElement>('[data-testid="pin-baseline"]')?.click();
    await vi.waitFor(() => expect(history.get()).toContain("baseline=after"));
    await vi.waitFor(() =>
      expect([...host.querySelectorAll('[data-testid="compare-cell"]')].map((cell) => cell.textContent)).toEqual([
        "1.00 s +25 %",
        "800 ms",
      ]),
    );
    expect(host.querySelector('[data-testid="compare-delta"]')?.classList.contains("worse")).toBe(true);
  });
});
