/**
 * `GET /login?key=...`: the dashboard link `npm start` prints. The right key earns an HttpOnly
 * cookie holding a session value derived from it (never the key itself) so the browser can start
 * and cancel races; then the user lands on the dashboard.
 */
import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import type { ApiDeps } from "./api-deps.ts";
import { isOperatorKey, operatorCookieName, operatorSessionValue } from "./operator-auth.ts";

const oneYearS = 365 * 24 * 60 * 60;

export function createLoginRoutes(deps: Pick<ApiDeps, "operatorKey" | "publicUrl">): Hono {
  const app = new Hono();
  app.get("/login", (c) => {
    const key = c.req.query("key") ?? "";
    if (key === "" || !isOperatorKey(deps.operatorKey, key)) {
      return c.text("That operator key is wrong: open the dashboard link printed by `npm start`.", 401);
    }
    setCookie(c, operatorCookieName, operatorSessionValue(deps.operatorKey), {
      httpOnly: true,
      sameSite: "Lax",
      path: "/",
      maxAge: oneYearS,
      secure: deps.publicUrl.startsWith("https:"),
    });
    return c.redirect("/", 302);
  });
  return app;
}
