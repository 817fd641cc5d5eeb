/**
 * The sinks of rooms hosted elsewhere (PartyKit in cloud mode): they post run batches and fleet
 * changes here with the shared sink secret, and ask at connect time whether an agent is revoked
 * and whether a socket comes from the operator (rooms hold neither the fleet's records nor the
 * operator key). Local mode writes in-process and mounts none of this.
 */
import { Hono } from "hono";
import { applyFleetChange, isAgentRevoked } from "../../db/agents.ts";
import { applyRunBatch } from "../../db/runs.ts";
import { fleetChangeSchema, operatorCheckSchema, runBatchSchema } from "../protocol/api.ts";
import type { ApiDeps } from "./api-deps.ts";
import { ApiError } from "./api-error.ts";
import { bearerToken } from "./bearer-token.ts";
import { createSocketOperatorCheck, isOperatorKey } from "./operator-auth.ts";
import { parseOrThrow } from "./parse-or-throw.ts";
import { maxSinkBodyBytes, readJsonBody } from "./read-json-body.ts";

export function createInternalRoutes(deps: ApiDeps, sinkSecret: string): Hono {
  const now = deps.now ?? Date.now;
  const isOperatorSocket = createSocketOperatorCheck(deps.operatorKey);
  const app = new Hono();
  app.use("*", async (c, next) => {
    if (!isOperatorKey(sinkSecret, bearerToken(c) ?? "")) {
      throw new ApiError(401, "unauthorized", "Room sinks must send Authorization: Bearer <BENCH_SINK_SECRET>.");
    }
    await next();
  });
  app.post("/runs/:id/batch", async (c) => {
    const batch = parseOrThrow(runBatchSchema, await readJsonBody(c, maxSinkBodyBytes));
    if (batch.run_id !== c.req.param("id")) {
      throw new ApiError(
        400,
        "bad_request",
        `run_id ${batch.run_id} does not match the path's run ${c.req.param("id")}.`,
      );
    }
    return c.json({ stored: applyRunBatch(deps.db, batch) });
  });
  app.get("/agents/:id/revoked", (c) => c.json({ revoked: isAgentRevoked(deps.db, c.req.param("id")) }));
  app.post("/operator-check", async (c) => {
    const check = parseOrThrow(operatorCheckSchema, await readJsonBody(c));
    return c.json({ operator: isOperatorSocket(check.key, check.cookie_header) });
  });
  app.post("/fleet", async (c) => {
    applyFleetChange(deps.db, parseOrThrow(fleetChangeSchema, await readJsonBody(c, maxSinkBodyBytes)), now());
    return c.json({ ok: true });
  });
  return app;
}
