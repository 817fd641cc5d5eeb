/**
 * `/api/runs/:id/events` (NDJSON, seq order), `/api/runs/:id/samples` (the machines' runtime
 * samples over the run's window, NDJSON, time order) and the result exports: CSV (RFC 4180, as a
 * download) and JSON, both one row per lane x result (one for a lane without results) with the same columns.
 */
import { type Context, Hono } from "hono";
import { listAgents } from "../../db/agents.ts";
import { listEvents } from "../../db/events.ts";
import { findHardwareSnapshots } from "../../db/hardware-snapshots.ts";
import { listRunSamples } from "../../db/run-samples.ts";
import type { Hardware } from "../protocol/hardware.ts";
import type { ApiDeps } from "./api-deps.ts";
import { findRunOrThrow } from "./find-run-or-throw.ts";
import { toCsv } from "./to-csv.ts";
import { toExportTable } from "./to-export-table.ts";

/**
 * The run's export with each lane's machine hardware as stored with its results (the snapshot its
 * provenance names), else as the fleet last reported it.
 */
function exportTableOf(deps: Pick<ApiDeps, "db" | "publicUrl">, id: string) {
  const run = findRunOrThrow(deps, id);
  const hardware = new Map<string, Hardware>(listAgents(deps.db).map((agent) => [agent.id, agent.hardware]));
  const ids = run.lanes.flatMap((lane) => (lane.provenance ? [lane.provenance.hardware_id] : []));
  const snapshots = findHardwareSnapshots(deps.db, ids);
  for (const lane of run.lanes) {
    const snapshot = lane.provenance ? snapshots.get(lane.provenance.hardware_id) : undefined;
    if (snapshot) hardware.set(lane.agent_id, snapshot);
  }
  return toExportTable(run, hardware);
}

/** rows as newline-delimited JSON, one row a line */
const ndjson = (c: Context, rows: readonly unknown[]) =>
  c.body(rows.map((row) => `${JSON.stringify(row)}\n`).join(""), 200, {
    "Content-Type": "application/x-ndjson; charset=utf-8",
  });

export function createRunExportRoutes(deps: Pick<ApiDeps, "db" | "publicUrl">): Hono {
  const app = new Hono();

  app.get("/:id/events", (c) => {
    const run = findRunOrThrow(deps, c.req.param("id"));
    return ndjson(c, listEvents(deps.db, run.id));
  });

  app.get("/:id/samples", (c) => {
    const run = findRunOrThrow(deps, c.req.param("id"));
    return ndjson(c, listRunSamples(deps.db, run.id));
  });

  app.get("/:id/export.csv", (c) => {
    const table = exportTableOf(deps, c.req.param("id"));
    return c.body(toCsv(table.columns, table.rows), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="bench-race-${table.run_id}.csv"`,
    });
  });

  app.get("/:id/export.json", (c) => c.json(exportTableOf(deps, c.req.param("id"))));

  return app;
}
