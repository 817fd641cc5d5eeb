/**
 * `/api/settings`: the lab's settings (model policy, defaults of a new race). Anyone may read them,
 * so a spectator's pages show the same defaults; only the operator may replace them.
 */
import { Hono } from "hono";
import { readLabSettings, writeLabSettings } from "../../db/lab-settings.ts";
import { labSettingsSchema } from "../protocol/lab-settings.ts";
import type { ApiDeps } from "./api-deps.ts";
import { createOperatorAuth } from "./operator-auth.ts";
import { parseOrThrow } from "./parse-or-throw.ts";
import { readJsonBody } from "./read-json-body.ts";

export function createSettingsRoutes(deps: Pick<ApiDeps, "db" | "operatorKey" | "now">): Hono {
  const app = new Hono();
  app.get("/", (c) => c.json({ settings: readLabSettings(deps.db) }));
  app.put("/", createOperatorAuth(deps.operatorKey), async (c) => {
    const settings = parseOrThrow(labSettingsSchema, await readJsonBody(c));
    writeLabSettings(deps.db, settings, (deps.now ?? Date.now)());
    return c.json({ settings: readLabSettings(deps.db) });
  });
  return app;
}
