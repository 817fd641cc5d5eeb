/**
 * The operator key guard: changing calls need `Authorization: Bearer <key>` or the `bench_operator`
 * cookie that `/login` sets. Keys are compared in constant time (over their SHA-256 digests, so a
 * length difference leaks nothing either).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { ApiError } from "./api-error.ts";

export const operatorCookieName = "bench_operator";

const digest = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest();

/** Whether `candidate` is the operator key, in time independent of where they differ. */
export const isOperatorKey = (operatorKey: string, candidate: string): boolean =>
  timingSafeEqual(digest(operatorKey), digest(candidate));

const unauthorized = () =>
  new ApiError(
    401,
    "unauthorized",
    "This action needs the operator key: open the dashboard link printed by `npm start`, or send Authorization: Bearer <key>.",
  );

export function createOperatorAuth(operatorKey: string): MiddlewareHandler {
  return async (c, next) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1]?.trim();
    const cookie = getCookie(c, operatorCookieName);
    const presented = [bearer, cookie].filter((key): key is string => key !== undefined && key !== "");
    if (!presented.some((key) => isOperatorKey(operatorKey, key))) throw unauthorized();
    await next();
  };
}
