/**
 * The operator key guard: changing calls need `Authorization: Bearer <key>` or the `bench_operator`
 * cookie that `/login` sets. The cookie never holds the key itself but a session value derived from
 * it (an HMAC), so a leaked cookie does not give away the key. Both are compared in constant time
 * (over SHA-256 digests, so a length difference leaks nothing either).
 */

import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { ApiError } from "./api-error.ts";
import { bearerToken } from "./bearer-token.ts";

export const operatorCookieName = "bench_operator";

const digest = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest();

/** Whether `candidate` is the operator key, in time independent of where they differ. */
export const isOperatorKey = (operatorKey: string, candidate: string): boolean =>
  timingSafeEqual(digest(operatorKey), digest(candidate));

/** The operator cookie's value: derived from the key, and it changes when the key does. */
export const operatorSessionValue = (operatorKey: string): string =>
  createHmac("sha256", operatorKey).update("bench-race operator session v1").digest("base64url");

const unauthorized = () =>
  new ApiError(
    401,
    "unauthorized",
    "This action needs the operator key: open the dashboard link printed by `npm start`, or send Authorization: Bearer <key>.",
  );

/** Whether a request comes from the operator: the key as a Bearer token, or the session cookie. */
export function createOperatorCheck(operatorKey: string): (c: Context) => boolean {
  const session = operatorSessionValue(operatorKey);
  return (c) => {
    const bearer = bearerToken(c);
    const cookie = getCookie(c, operatorCookieName);
    const byBearer = bearer !== undefined && isOperatorKey(operatorKey, bearer);
    const byCookie = cookie !== undefined && cookie !== "" && isOperatorKey(session, cookie);
    return byBearer || byCookie;
  };
}

/** A cookie value percent-decoded; as it came when it is not valid percent-encoding (then it matches no session). */
function decodedOrRaw(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The same check for a WebSocket upgrade: the key as a query parameter, or the session cookie. */
export function createSocketOperatorCheck(
  operatorKey: string,
): (key: string | null, cookieHeader: string | null) => boolean {
  const session = operatorSessionValue(operatorKey);
  return (key, cookieHeader) => {
    const cookie = (cookieHeader ?? "")
      .split(";")
      .map((part) => part.trim().split("="))
      .find(([name]) => name === operatorCookieName)?.[1];
    const byKey = key !== null && key !== "" && isOperatorKey(operatorKey, key);
    const byCookie = cookie !== undefined && cookie !== "" && isOperatorKey(session, decodedOrRaw(cookie));
    return byKey || byCookie;
  };
}

export function createOperatorAuth(operatorKey: string): MiddlewareHandler {
  const isOperator = createOperatorCheck(operatorKey);
  return async (c, next) => {
    if (!isOperator(c)) throw unauthorized();
    await next();
  };
}
