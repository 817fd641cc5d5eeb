/**
 * The HTTP API of the coordinator (DESIGN.md section 3): one Hono sub-app per resource, one error
 * handler, and JSON 404s under /api. Local mode and cloud hosts mount it and add the web app.
 */
import { Hono } from "hono";
import { createAgentsRoutes } from "./agents-routes.ts";
import type { ApiDeps } from "./api-deps.ts";
import { ApiError, createApiErrorHandler } from "./api-error.ts";
import { createOriginCheck } from "./check-origin.ts";
import { createCheckpointsRoutes } from "./checkpoints-routes.ts";
import { createFleetRoutes } from "./fleet-routes.ts";
import { createInternalRoutes } from "./internal-routes.ts";
import { createLoginRoutes } from "./login-routes.ts";
import { createRunExportRoutes } from "./run-export-routes.ts";
import { createRunImagesRoutes } from "./run-images-routes.ts";
import { createRunsRoutes } from "./runs-routes.ts";
import { createSessionRoutes } from "./session-routes.ts";
import { createSettingsRoutes } from "./settings-routes.ts";

export type { ApiDeps } from "./api-deps.ts";

export function createApi(deps: ApiDeps): Hono {
  const app = new Hono();
  app.onError(createApiErrorHandler(deps.log));
  app.use(
    "/api/*",
    createOriginCheck(() => deps.publicUrl),
  );
  app.get("/api/health", (c) => c.json({ ok: true, version: deps.version, mode: deps.mode }));
  app.route("/api/agents", createAgentsRoutes(deps));
  app.route("/api/fleet", createFleetRoutes(deps));
  app.route("/api/checkpoints", createCheckpointsRoutes(deps));
  app.route("/api/runs", createRunExportRoutes(deps));
  if (deps.images) app.route("/api/runs", createRunImagesRoutes(deps, deps.images));
  app.route("/api/runs", createRunsRoutes(deps));
  app.route("/api/session", createSessionRoutes(deps));
  app.route("/api/settings", createSettingsRoutes(deps));
  app.route("/", createLoginRoutes(deps));
  if (deps.sinkSecret) app.route("/api/internal", createInternalRoutes(deps, deps.sinkSecret));
  app.all("/api/*", (c) => {
    throw new ApiError(
      404,
      "not_found",
      `There is no API route ${c.req.method} ${c.req.path}: check the method and the path.`,
    );
  });
  return app;
}
