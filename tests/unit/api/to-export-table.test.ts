import { describe, expect, it } from "vitest";
import { exportContextColumns, toExportTable } from "../../../coordinator/api/to-export-table.ts";
import type { LaneView, RunView } from "../../../coordinator/protocol/api.ts";
import type { Hardware } from "../../../coordinator/protocol/hardware.ts";

const run = (workload: RunView["workload"], metrics: Record<string, string | number>[]): RunView => ({
  id: "r",
  workload,
  status: "done",
  params: {},
  repeats: 1,
  warmup: 0,
  ghost_run_id: null,
  name: null,
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
      start_at: null,
      start_skew_ms: null,
      start_skew_uncertainty_ms: null,
      clock_offset_ms: null,
      ran_after: null,
      start_note: null,
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
    expect(table.columns.slice(8, -exportContextColumns.length)).toEqual(["ttft_ms", "gen_tokens", "alpha", "zeta"]);
    expect(table.rows[1]).toMatchObject({ ttft_ms: 30, gen_tokens: null, alpha: 2, zeta: null });
  });

  it("renames a metric that shares a name with an identity column, and keeps the published llm metric names", () => {
    const table = toExportTable(run("llm", [{ model: "llama3:8b", engine: "ollama" }]));
    expect(table.columns.slice(5, 10)).toEqual(["model", "repeat", "warmup", "engine", "metric_model"]);
    expect(table.columns.slice(10)).toEqual([...exportContextColumns]);
    expect(table.rows[0]).toMatchObject({ model: "llama3", metric_model: "llama3:8b", engine: "ollama" });
  });

  it("keeps a lane without results as one row with its status and error, and adds run, hardware and provenance", () => {
    const base = run("compute", [{ elapsed_ms: 12, primes_found: 168 }]);
    const done = base.lanes[0] as LaneView;
    const cancelled: LaneView = {
      ...done,
      lane_id: "l1",
      index: 1,
      agent_id: "b",
      agent_name: "laptop",
      backend: "compute",
      model: null,
      status: "cancelled",
      error: { code: "cancelled", message: "The operator cancelled the race." },
      results: [],
    };
    const hardware: Hardware = {
      cpu_model: "Ryzen 9 7950X",
      cpu_cores: 32,
      cpu_physical_cores: 16,
      memory_bytes: 64 * 1024 ** 3,
      os: "linux",
      arch: "x64",
      gpus: [
        { name: "RTX 4090", vendor: "nvidia", vram_bytes: 24 * 1024 ** 3, unified_memory: false, driver: "550" },
        { name: "M2 Max", vendor: "apple", vram_bytes: 0, unified_memory: true, driver: null },
      ],
    };
    const table = toExportTable(
      {
        ...base,
        status: "cancelled",
        started_at: "2026-01-01T00:00:01.000Z",
        finished_at: "2026-01-01T00:00:05.000Z",
        lanes: [
          {
            ...done,
            provenance: {
              agent_version: "0.1.0",
              os: "linux",
              hardware_id: "hw-a",
              engine: "compute",
              engine_version: "1",
              model_digest: null,
              remote_engine: false,
              engine_host: null,
              params: {},
            },
          },
          cancelled,
        ],
      },
      new Map([["a", hardware]]),
    );
    expect(table.columns).toEqual([
      "run_id",
      "lane_id",
      "agent_id",
      "agent_name",
      "backend",
      "model",
      "repeat",
      "warmup",
      "primes_found",
      "elapsed_ms",
      ...exportContextColumns,
    ]);
    expect(table.rows).toHaveLength(2);
    expect(table.rows[0]).toEqual({
      run_id: "r",
      lane_id: "l0",
      agent_id: "a",
      agent_name: "box",
      backend: "ollama",
      model: "llama3",
      repeat: 0,
      warmup: false,
      primes_found: 168,
      elapsed_ms: 12,
      lane_status: "done",
      lane_error_code: null,
      lane_error: null,
      run_status: "cancelled",
      run_created_at: "2026-01-01T00:00:00.000Z",
      run_started_at: "2026-01-01T00:00:01.000Z",
      run_finished_at: "2026-01-01T00:00:05.000Z",
      hw_cpu_model: "Ryzen 9 7950X",
      hw_cpu_cores: 32,
      hw_memory_bytes: 64 * 1024 ** 3,
      hw_gpus: "RTX 4090 (24 GiB); M2 Max (unified)",
      hw_os: "linux",
      hw_arch: "x64",
      agent_version: "0.1.0",
      provenance_engine: "compute",
      engine_version: "1",
      engine_host: null,
      remote_engine: false,
      model_digest: null,
      hardware_id: "hw-a",
    });
    expect(table.rows[1]).toMatchObject({
      lane_id: "l1",
      agent_name: "laptop",
      repeat: null,
      warmup: null,
      primes_found: null,
      elapsed_ms: null,
      lane_status: "cancelled",
      lane_error_code: "cancelled",
      lane_error: "The operator cancelled the race.",
      run_status: "cancelled",
      hw_cpu_model: null,
      hw_gpus: null,
      provenance_engine: null,
    });
    expect(Object.keys(table.rows[1] ?? {})).toEqual(table.columns);
  });
});
