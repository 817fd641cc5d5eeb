// The operator's side of the API that the shared client leaves out: whether this browser is the
// operator (GET /api/session), signing out (DELETE /api/session) and deleting a run. Errors become
// ApiRequestError with the server's own message, as in the shared client.
import { z } from "zod";
import { apiErrorSchema } from "../../../coordinator/protocol/api.ts";
import { ApiRequestError } from "./api-client.ts";

const sessionSchema = z.object({ operator: z.boolean() });
export type Session = z.infer<typeof sessionSchema>;

async function send(path: string, init?: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: "same-origin", ...init });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new ApiRequestError(0, "network", `Could not reach the coordinator (${reason}). Is it running?`);
  }
  if (response.ok) return response;
  let body: unknown = null;
  try {
    body = JSON.parse(await response.text());
  } catch {
    body = null;
  }
  const parsed = apiErrorSchema.safeParse(body);
  if (parsed.success) throw new ApiRequestError(response.status, parsed.data.error.code, parsed.data.error.message);
  throw new ApiRequestError(
    response.status,
    "http_error",
    `${path} answered ${response.status} ${response.statusText}`,
  );
}

async function sessionFrom(response: Response, path: string): Promise<Session> {
  const parsed = sessionSchema.safeParse(await response.json());
  if (!parsed.success) throw new ApiRequestError(response.status, "bad_response", `${path} sent an unexpected body`);
  return parsed.data;
}

/** Whether this browser holds the operator cookie (or key). */
export async function getSession(): Promise<Session> {
  return sessionFrom(await send("/api/session"), "/api/session");
}

/** Clears the operator cookie: this browser becomes a spectator until it opens the dashboard link again. */
export async function signOut(): Promise<Session> {
  return sessionFrom(await send("/api/session", { method: "DELETE" }), "/api/session");
}

/** Deletes a finished run with its events and results. */
export async function deleteRun(id: string): Promise<void> {
  await send(`/api/runs/${encodeURIComponent(id)}`, { method: "DELETE" });
}
