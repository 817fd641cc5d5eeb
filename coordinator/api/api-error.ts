/**
 * The one error type of the API: an HTTP status and a machine-readable code beside a message that
 * names the thing and the fix. `createApiErrorHandler` makes the app's single `onError`, which
 * logs every 500 with its cause.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ApiError as ApiErrorBody } from "../protocol/api.ts";
import type { Logger } from "../protocol/logger.ts";

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

const errorBody = (code: string, message: string): ApiErrorBody => ({ error: { code, message } });

/** The error's message, stack and chain of causes, for the log. */
function describeError(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const cause = error.cause !== undefined && depth < 5 ? { cause: describeError(error.cause, depth + 1) } : {};
  return { error: error.message, stack: error.stack, ...cause };
}

export function createApiErrorHandler(log: Logger): (error: Error, c: Context) => Response {
  return (error, c) => {
    if (error instanceof ApiError) {
      if (error.status >= 500)
        log.error("API request failed", { method: c.req.method, path: c.req.path, ...describeError(error) });
      return c.json(errorBody(error.code, error.message), error.status);
    }
    if (error instanceof HTTPException) {
      const status = error.status as ContentfulStatusCode;
      if (status >= 500)
        log.error("API request failed", { method: c.req.method, path: c.req.path, ...describeError(error) });
      return c.json(errorBody("http_error", error.message || "The request could not be handled."), status);
    }
    log.error("API request failed", { method: c.req.method, path: c.req.path, ...describeError(error) });
    return c.json(
      errorBody("internal", `The coordinator hit an unexpected error (${error.message}); see its log and try again.`),
      500,
    );
  };
}
