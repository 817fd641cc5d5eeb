/**
 * `/api/session`: lets the dashboard know whether this browser is the operator (so spectators get a
 * read-only view instead of learning from a 401), and signs the operator out by clearing the cookie.
 */
import { Hono } from "hono";
import { deleteCookie } from "hono/cookie";
import type { ApiDeps } from "./api-deps.ts";
import { createOperatorCheck, operatorCookieName } from "./operator-auth.ts";

export function createSessionRoutes(deps: Pick<ApiDeps, "operatorKey" | "publicUrl">): Hono {
  const app = new Hono();
  const isOperator = createOperatorCheck(deps.operatorKey);
  app.get("/", (c) => c.json({ operator: isOperator(c) }));
  app.delete("/", (c) => {
    deleteCookie(c, operatorCookieName, { path: "/", secure: deps.publicUrl.startsWith("https:") });
    return c.json({ operator: false });
  });
  return app;
}
