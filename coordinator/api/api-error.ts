/**
 * The one error type of the API: an HTTP status and a machine-readable code beside a message that
 * names the thing and the fix. `handleApiError` is the app's single `onError`.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ApiError as ApiErrorBody } from "../protocol/api.ts";

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

export function handleApiError(error: Error, c: Context): Response {
  if (error instanceof ApiError) return c.json(errorBody(error.code, error.message), error.status);
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    return c.json(errorBody("http_error", error.message || "The request could not be handled."), status);
  }
  return c.json(
    errorBody("internal", `The coordinator hit an unexpected error (${error.message}); see its log and try again.`),
    500,
  );
}
