/** `GET /api/agents`: the fleet as last reported by the lab room. */
import { Hono } from "hono";
import { listAgents } from "../../db/agents.ts";
import type { ApiDeps } from "./api-deps.ts";

export function createAgentsRoutes(deps: Pick<ApiDeps, "db">): Hono {
  const app = new Hono();
  app.get("/", (c) => c.json({ agents: listAgents(deps.db) }));
  return app;
}
