/**
 * `/api/session`: lets the dashboard know whether this browser is the operator (so spectators get a
 * read-only view instead of learning from a 401), and signs the operator out by clearing the cookie.
 */
import { Hono } from "hono";
import { deleteCookie, getCookie } from "hono/cookie";
import type { ApiDeps } from "./api-deps.ts";
import { isOperatorKey, operatorCookieName, operatorSessionValue } from "./operator-auth.ts";

export function createSessionRoutes(deps: Pick<ApiDeps, "operatorKey" | "publicUrl">): Hono {
  const app = new Hono();
  const session = operatorSessionValue(deps.operatorKey);
  app.get("/", (c) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1]?.trim();
    const cookie = getCookie(c, operatorCookieName);
    const operator =
      (bearer !== undefined && bearer !== "" && isOperatorKey(deps.operatorKey, bearer)) ||
      (cookie !== undefined && cookie !== "" && isOperatorKey(session, cookie));
    return c.json({ operator });
  });
  app.delete("/", (c) => {
    deleteCookie(c, operatorCookieName, { path: "/", secure: deps.publicUrl.startsWith("https:") });
    return c.json({ operator: false });
  });
  return app;
}
