/**
 * Reads a request's JSON body within the API's limits: the body must say it is JSON (a form or
 * text/plain post from another site is refused before it is read), it is read only up to
 * its route's limit (`maxBodyBytes` unless it says otherwise), and nesting deeper than `maxJsonDepth` is refused before it is parsed.
 */
import type { Context } from "hono";
import { ApiError } from "./api-error.ts";
import { readBodyBytes } from "./read-body-bytes.ts";

/** Largest JSON body the API reads, in bytes: 1 MiB. */
export const maxBodyBytes = 1024 * 1024;
/** Largest batch a room hosted elsewhere may post to its sink, in bytes: 16 MiB (it holds up to 100 ms of a race's events). */
export const maxSinkBodyBytes = 16 * 1024 * 1024;
/** Deepest nesting of objects and arrays the API parses. */
export const maxJsonDepth = 32;

/** Whether JSON text nests objects and arrays deeper than `max`; one pass, no recursion. */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "{" || ch === "[") {
      depth++;
      if (depth > max) return true;
    } else if (ch === "}" || ch === "]") depth--;
  }
  return false;
}

export async function readJsonBody(c: Context, maxBytes = maxBodyBytes): Promise<unknown> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") {
    throw new ApiError(
      415,
      "unsupported_media_type",
      `Send the body as JSON with Content-Type: application/json (this request said ${type ? `"${type}"` : "nothing"}).`,
    );
  }
  const text = new TextDecoder().decode(
    await readBodyBytes(
      c.req.raw,
      maxBytes,
      new ApiError(413, "too_large", `The request body is over ${maxBytes} bytes, the limit of this route.`),
    ),
  );
  if (nestsDeeperThan(text, maxJsonDepth)) {
    throw new ApiError(400, "too_deep", `The JSON body nests deeper than ${maxJsonDepth} levels, the API's limit.`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, "bad_request", "The request body is not valid JSON.");
  }
}
