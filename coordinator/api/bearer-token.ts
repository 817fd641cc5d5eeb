/** The token of an `Authorization: Bearer <token>` header; undefined when there is none. */
import type { Context } from "hono";

export function bearerToken(c: Context): string | undefined {
  const token = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "")?.[1]?.trim();
  return token === "" ? undefined : token;
}
