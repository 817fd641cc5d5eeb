import { describe, expect, it } from "vitest";
import { toExportTable } from "../../../coordinator/api/to-export-table.ts";
import type { RunView } from "../../../coordinator/protocol/api.ts";

const run = (workload: RunView["workload"], metrics: Record<string, string | number>[]): RunView => ({
  id: "r",
  workload,
  status: "done",
  params: {},
  repeats: 1,
  warmup: 0,
  share_url: "http://x/runs/r",
  created_at: "2026-01-01T00:00:00.000Z",
  started_at: null,
  finished_at: null,
  lanes: [
    {
      lane_id: "l0",
      index: 0,
      agent_id: "a",
      agent_name: "box",
      backend: "ollama",
      model: "llama3",
      params: {},
      status: "done",
      error: null,
      start_skew_ms: null,
      provenance: null,
      results: metrics.map((m, repeat) => ({ repeat, warmup: false, metrics: m })),
      summary: null,
    },
  ],
});

describe("toExportTable", () => {
  it("puts known metrics first in DESIGN order, then others alphabetically, blank where a pass lacks one", () => {
    const table = toExportTable(
      run("llm", [
        { zeta: 1, gen_tokens: 5, ttft_ms: 20 },
        { alpha: 2, ttft_ms: 30 },
      ]),
    );
    expect(table.columns.slice(8)).toEqual(["ttft_ms", "gen_tokens", "alpha", "zeta"]);
    expect(table.rows[1]).toMatchObject({ ttft_ms: 30, gen_tokens: null, alpha: 2, zeta: null });
  });

  it("renames a metric that shares a name with an identity column", () => {
    const table = toExportTable(run("llm", [{ model: "llama3:8b", engine: "ollama" }]));
    expect(table.columns.slice(5)).toEqual(["model", "repeat", "warmup", "engine", "metric_model"]);
    expect(table.rows[0]).toMatchObject({ model: "llama3", metric_model: "llama3:8b", engine: "ollama" });
  });
});
