/**
 * The flat table both exports share: one row per lane x result (warm-ups included, flagged), the
 * lane's identity columns, then one column per metric: the workload's known metrics in DESIGN.md
 * order, then any others alphabetically. A metric named like an identity column (llm's `model`)
 * gets the column `metric_<name>`, so no column is written twice.
 */
import type { RunView } from "../protocol/api.ts";
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

export function toExportTable(run: RunView): ExportTable {
  const seen = new Set<string>();
  for (const lane of run.lanes) {
    for (const result of lane.results) for (const name of Object.keys(result.metrics)) seen.add(name);
  }
  const known = knownMetricNames[run.workload].filter((name) => seen.has(name));
  const others = [...seen].filter((name) => !known.includes(name)).sort();
  const metricNames = [...known, ...others];
  const identity: readonly string[] = exportIdentityColumns;
  const columnOf = (name: string): string => (identity.includes(name) ? `metric_${name}` : name);
  const rows = run.lanes.flatMap((lane) =>
    lane.results.map((result) => {
      const row: Record<string, ExportValue> = {
        run_id: run.id,
        lane_id: lane.lane_id,
        agent_id: lane.agent_id,
        agent_name: lane.agent_name,
        backend: lane.backend,
        model: lane.model,
        repeat: result.repeat,
        warmup: result.warmup,
      };
      for (const name of metricNames) row[columnOf(name)] = result.metrics[name] ?? null;
      return row;
    }),
  );
  return { run_id: run.id, columns: [...identity, ...metricNames.map(columnOf)], rows };
}
