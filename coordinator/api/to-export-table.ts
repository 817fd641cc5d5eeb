/**
 * The flat table both exports share: one row per lane x result (warm-ups included, flagged), and one
 * row with blank metrics for a lane that has no result (cancelled, failed, lost), so no lane drops
 * out. Columns: the lane's identity, then one column per metric (the workload's known metrics in
 * DESIGN.md order, then any others alphabetically), then the context that makes a row comparable
 * later: lane and run status with timestamps, the machine's hardware and the engine's provenance.
 * A metric named like a fixed column (llm's `model`) gets the column `metric_<name>`.
 */
import type { RunView } from "../protocol/api.ts";
import type { Hardware } from "../protocol/hardware.ts";
import type { MetricValue } from "../protocol/job.ts";
import { knownMetricNames } from "../protocol/metric-names.ts";

export type ExportValue = MetricValue;

export interface ExportTable {
  run_id: string;
  columns: string[];
  rows: Record<string, ExportValue>[];
}

export const exportIdentityColumns = [
  "run_id",
  "lane_id",
  "agent_id",
  "agent_name",
  "backend",
  "model",
  "repeat",
  "warmup",
] as const;

/** After the metrics: what happened to the lane and run, on which machine, with which engine. */
export const exportContextColumns = [
  "lane_status",
  "lane_error_code",
  "lane_error",
  "run_status",
  "run_created_at",
  "run_started_at",
  "run_finished_at",
  "hw_cpu_model",
  "hw_cpu_cores",
  "hw_memory_bytes",
  "hw_gpus",
  "hw_os",
  "hw_arch",
  "agent_version",
  "provenance_engine",
  "engine_version",
  "engine_host",
  "remote_engine",
  "model_digest",
  "hardware_id",
] as const;

type ContextColumn = (typeof exportContextColumns)[number];

const gibibyte = 1024 ** 3;

/** "NVIDIA RTX 4090 (24 GiB); Apple M2 Max (unified)": one text cell for every GPU. */
const describeGpus = (hardware: Hardware): string =>
  hardware.gpus
    .map((gpu) => {
      if (gpu.unified_memory) return `${gpu.name} (unified)`;
      return gpu.vram_bytes ? `${gpu.name} (${Math.round(gpu.vram_bytes / gibibyte)} GiB)` : gpu.name;
    })
    .join("; ");

function laneContext(
  run: RunView,
  lane: RunView["lanes"][number],
  hardware: Hardware | undefined,
): Record<ContextColumn, ExportValue> {
  const provenance = lane.provenance;
  return {
    lane_status: lane.status,
    lane_error_code: lane.error?.code ?? null,
    lane_error: lane.error?.message ?? null,
    run_status: run.status,
    run_created_at: run.created_at,
    run_started_at: run.started_at,
    run_finished_at: run.finished_at,
    hw_cpu_model: hardware?.cpu_model ?? null,
    hw_cpu_cores: hardware?.cpu_cores ?? null,
    hw_memory_bytes: hardware?.memory_bytes ?? null,
    hw_gpus: hardware ? describeGpus(hardware) : null,
    hw_os: hardware?.os ?? provenance?.os ?? null,
    hw_arch: hardware?.arch ?? null,
    agent_version: provenance?.agent_version ?? null,
    provenance_engine: provenance?.engine ?? null,
    engine_version: provenance?.engine_version ?? null,
    engine_host: provenance?.engine_host ?? null,
    remote_engine: provenance?.remote_engine ?? null,
    model_digest: provenance?.model_digest ?? null,
    hardware_id: provenance?.hardware_id ?? null,
  };
}

/**
 * `hardware`: each agent's hardware as the fleet last reported it (the run does not keep a copy);
 * an agent missing from it gets blank hardware cells.
 */
export function toExportTable(run: RunView, hardware: ReadonlyMap<string, Hardware> = new Map()): ExportTable {
  const seen = new Set<string>();
  for (const lane of run.lanes) {
    for (const result of lane.results) for (const name of Object.keys(result.metrics)) seen.add(name);
  }
  const known = knownMetricNames[run.workload].filter((name) => seen.has(name));
  const others = [...seen].filter((name) => !known.includes(name)).sort();
  const metricNames = [...known, ...others];
  const fixed: readonly string[] = [...exportIdentityColumns, ...exportContextColumns];
  const columnOf = (name: string): string => (fixed.includes(name) ? `metric_${name}` : name);
  const rows = run.lanes.flatMap((lane) => {
    const identity = {
      run_id: run.id,
      lane_id: lane.lane_id,
      agent_id: lane.agent_id,
      agent_name: lane.agent_name,
      backend: lane.backend,
      model: lane.model,
    };
    const context = laneContext(run, lane, hardware.get(lane.agent_id));
    const passes = lane.results.length > 0 ? lane.results : [null];
    return passes.map((result) => {
      const row: Record<string, ExportValue> = {
        ...identity,
        repeat: result?.repeat ?? null,
        warmup: result?.warmup ?? null,
      };
      for (const name of metricNames) row[columnOf(name)] = result?.metrics[name] ?? null;
      return { ...row, ...context };
    });
  });
  return {
    run_id: run.id,
    columns: [...exportIdentityColumns, ...metricNames.map(columnOf), ...exportContextColumns],
    rows,
  };
}
