/**
 * One GET of a JSON document from an engine, for probes and `prepare`: the three ways it can
 * fail (no answer, an HTTP error, a body of the wrong shape) come back as values, never thrown,
 * so each backend words them for its own engine.
 */
import type { z } from "zod";
import { fetchFailureReason } from "./fetch-failure-reason.ts";
import { readErrorBody } from "./read-error-body.ts";

export type GetJsonResult<T> =
  | { ok: true; value: T; headers: Headers }
  | { ok: false; failure: "unreachable"; reason: string }
  | { ok: false; failure: "http"; status: number; message: string; headers: Headers }
  | { ok: false; failure: "invalid"; message: string };

export async function getJson<S extends z.ZodType>(
  fetchFn: typeof fetch,
  url: string,
  schema: S,
  signal: AbortSignal,
): Promise<GetJsonResult<z.infer<S>>> {
  let response: Response;
  try {
    response = await fetchFn(url, { signal, headers: { accept: "application/json" } });
  } catch (err) {
    return { ok: false, failure: "unreachable", reason: fetchFailureReason(err) };
  }
  if (!response.ok) {
    const message = await readErrorBody(response);
    return { ok: false, failure: "http", status: response.status, message, headers: response.headers };
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (err) {
    if (signal.aborted) return { ok: false, failure: "unreachable", reason: fetchFailureReason(err) };
    return { ok: false, failure: "invalid", message: `${url} did not answer with JSON` };
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) return { ok: false, failure: "invalid", message: `${url} answered JSON of an unexpected shape` };
  return { ok: true, value: parsed.data, headers: response.headers };
}
