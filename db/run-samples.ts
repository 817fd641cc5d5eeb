/**
 * Runtime samples of a run's machines (the run sink's `samples`), one row per machine and second,
 * written through one prepared statement like events; a sample stored already is skipped.
 */
import { asc, eq } from "drizzle-orm";
import type { MachineSample } from "../coordinator/protocol/runtime-sample.ts";
import type { Db } from "./client.ts";
import { preparedOnce } from "./prepared-once.ts";
import { runSamples } from "./schema.ts";

const insertStatement = preparedOnce(
  "INSERT INTO run_samples (run_id, agent_id, at, cpu_percent, memory_used_bytes, cpu_power_w, gpus) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
);

/** Inserts samples of one run. Call inside a transaction. */
export function insertRunSamples(db: Db, runId: string, samples: readonly MachineSample[]): void {
  if (samples.length === 0) return;
  const statement = insertStatement(db.$client);
  for (const s of samples) {
    statement.run(
      runId,
      s.agent_id,
      Math.round(s.at),
      s.cpu_percent,
      s.memory_used_bytes === null ? null : Math.round(s.memory_used_bytes),
      s.cpu_power_w ?? null,
      JSON.stringify(s.gpus),
    );
  }
}

/** The run's samples in time order, as `GET /api/runs/:id/samples` serves them. */
export function listRunSamples(db: Db, runId: string): MachineSample[] {
  return db
    .select()
    .from(runSamples)
    .where(eq(runSamples.runId, runId))
    .orderBy(asc(runSamples.at), asc(runSamples.agentId))
    .all()
    .map((row) => ({
      agent_id: row.agentId,
      at: row.at,
      cpu_percent: row.cpuPercent,
      memory_used_bytes: row.memoryUsedBytes,
      cpu_power_w: row.cpuPowerW,
      gpus: row.gpus,
    }));
}
