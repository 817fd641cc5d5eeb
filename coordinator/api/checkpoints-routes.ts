/**
 * `/api/checkpoints` (operator only): the checkpoints image races use, listed as
 * `label | url | sha256:<hex>` lines, and their download onto chosen machines' ComfyUI through the
 * lab room, whose progress shows in `GET /api/agents/pulls` under each checkpoint's file name.
 */
import { Hono } from "hono";
import { resolveAgents } from "../../db/agents.ts";
import { listCheckpoints, replaceCheckpoints } from "../../db/checkpoints.ts";
import { labDispatchResultSchema } from "../protocol/api.ts";
import {
  checkpointListRequestSchema,
  checkpointSyncRequestSchema,
  parseCheckpointList,
} from "../protocol/checkpoint.ts";
import { askLab } from "./agents-routes.ts";
import type { ApiDeps } from "./api-deps.ts";
import { ApiError } from "./api-error.ts";
import { createOperatorAuth } from "./operator-auth.ts";
import { parseOrThrow } from "./parse-or-throw.ts";
import { readJsonBody } from "./read-json-body.ts";

export function createCheckpointsRoutes(deps: Pick<ApiDeps, "db" | "operatorKey" | "rooms" | "now">): Hono {
  const app = new Hono();
  app.use("*", createOperatorAuth(deps.operatorKey));

  app.get("/", (c) => c.json({ checkpoints: listCheckpoints(deps.db) }));

  app.put("/", async (c) => {
    const body = parseOrThrow(checkpointListRequestSchema, await readJsonBody(c));
    const { specs, problems } = parseCheckpointList(body.list, body.allow_private);
    if (problems.length > 0) throw new ApiError(400, "bad_request", `list: ${problems.join("; ")}`);
    replaceCheckpoints(deps.db, specs, (deps.now ?? Date.now)());
    return c.json({ checkpoints: listCheckpoints(deps.db) });
  });

  app.post("/sync", async (c) => {
    const body = parseOrThrow(checkpointSyncRequestSchema, await readJsonBody(c));
    const listed = listCheckpoints(deps.db);
    const chosen = body.names ? listed.filter((s) => body.names?.includes(s.name)) : listed;
    const unlisted = (body.names ?? []).filter((name) => !listed.some((s) => s.name === name));
    if (unlisted.length > 0 || chosen.length === 0)
      throw new ApiError(
        400,
        "unknown_checkpoint",
        `names: ${unlisted.join(", ") || "no checkpoint"} is not in the checkpoint list; add it with PUT /api/checkpoints first.`,
      );
    const resolved = resolveAgents(deps.db, body.agents);
    const unknown = resolved.filter((r) => r.agent === null).map((r) => `"${r.ref}"`);
    if (unknown.length > 0)
      throw new ApiError(400, "unknown_agent", `agents: no agent has the id or name ${unknown.join(", ")}.`);
    const agentIds = [...new Set(resolved.flatMap((r) => (r.agent ? [r.agent.id] : [])))];
    const reached = new Set<string>();
    const missing = new Set<string>();
    for (const checkpoint of chosen) {
      const reply = labDispatchResultSchema.parse(
        await askLab(deps, { type: "lab-checkpoint-sync", agent_ids: agentIds, checkpoint }),
      );
      for (const id of reply.reached) reached.add(id);
      for (const id of reply.missing) missing.add(id);
    }
    return c.json({ checkpoints: chosen.map((s) => s.name), reached: [...reached], missing: [...missing] }, 202);
  });

  return app;
}
