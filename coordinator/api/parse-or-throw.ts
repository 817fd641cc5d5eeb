/**
 * Parses request input with a zod schema; a failure becomes a 400 `bad_request` whose message
 * names each failing field by its path, e.g. "params.n: n must be at least 10".
 */
import type { z } from "zod";
import { ApiError } from "./api-error.ts";

/** `["lanes", 1, "params", "n"]` -> `lanes[1].params.n` */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const key of path) {
    if (typeof key === "number") text += `[${key}]`;
    else text += text === "" ? String(key) : `.${String(key)}`;
  }
  return text;
}

/** Every issue as `path: message`, joined with "; ". `prefix` is prepended to each path. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[] = []): string {
  return issues
    .map((issue) => {
      const path = formatIssuePath([...prefix, ...issue.path]);
      return path === "" ? issue.message : `${path}: ${issue.message}`;
    })
    .join("; ");
}

export function parseOrThrow<T extends z.ZodType>(
  schema: T,
  value: unknown,
  prefix: readonly PropertyKey[] = [],
): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ApiError(400, "bad_request", formatIssues(parsed.error.issues, prefix));
  return parsed.data;
}
