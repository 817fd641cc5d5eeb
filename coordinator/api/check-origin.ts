/**
 * Refuses changing calls (POST, PUT, PATCH, DELETE) that a browser sends from a page of another
 * origin, such as a page on another port of the same host that would ride on the operator's
 * cookie. Requests without an Origin header (curl, agents, room sinks) are not from a page and pass.
 */
import type { MiddlewareHandler } from "hono";
import { ApiError } from "./api-error.ts";

const changing = new Set(["POST", "PUT", "PATCH", "DELETE"]);

const originOf = (url: string): string | null => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

/** `publicUrl()`: the origin the dashboard is served from, where it differs from the request's own (a proxy in front). */
export function createOriginCheck(publicUrl: () => string): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header("origin");
    if (origin !== undefined && changing.has(c.req.method)) {
      const allowed = [originOf(c.req.url), originOf(publicUrl())];
      if (!allowed.includes(origin)) {
        throw new ApiError(
          403,
          "cross_origin",
          `A page from ${origin} may not change anything here: use the dashboard at ${allowed[1] ?? allowed[0]}, or call the API without a browser.`,
        );
      }
    }
    await next();
  };
}
