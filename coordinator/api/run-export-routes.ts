/**
 * `/api/runs/:id/events` (NDJSON, seq order) and the result exports: CSV (RFC 4180, as a download)
 * and JSON, both one row per lane x result (one for a lane without results) with the same columns.
 */
import { Hono } from "hono";
import { listAgents } from "../../db/agents.ts";
import { listEvents } from "../../db/events.ts";
import type { ApiDeps } from "./api-deps.ts";
import { findRunOrThrow } from "./find-run-or-throw.ts";
import { toCsv } from "./to-csv.ts";
import { toExportTable } from "./to-export-table.ts";

/** The run's export with each lane's machine hardware as the fleet last reported it. */
const exportTableOf = (deps: Pick<ApiDeps, "db" | "publicUrl">, id: string) =>
  toExportTable(findRunOrThrow(deps, id), new Map(listAgents(deps.db).map((agent) => [agent.id, agent.hardware])));

export function createRunExportRoutes(deps: Pick<ApiDeps, "db" | "publicUrl">): Hono {
  const app = new Hono();

  app.get("/:id/events", (c) => {
    const run = findRunOrThrow(deps, c.req.param("id"));
    const body = listEvents(deps.db, run.id)
      .map((event) => `${JSON.stringify(event)}\n`)
      .join("");
    return c.body(body, 200, { "Content-Type": "application/x-ndjson; charset=utf-8" });
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
