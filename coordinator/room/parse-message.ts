/**
 * Parses one socket message with the schema of its direction. A bad message earns an `error`
 * reply naming what was wrong; it never throws into the room.
 */
import type { z } from "zod";
import type { ErrorMessage } from "../protocol/messages.ts";
import type { ControlReply } from "./ports.ts";

/** Messages above this size are refused unread. */
export const maxMessageBytes = 1_000_000;

export type Parsed<T> = { ok: true; data: T } | { ok: false; error: ErrorMessage };

export function parseMessage<S extends z.ZodType>(schema: S, raw: string): Parsed<z.infer<S>> {
  if (raw.length > maxMessageBytes) {
    return {
      ok: false,
      error: errorMessage("too_large", `Message of ${raw.length} bytes refused: the limit is ${maxMessageBytes}.`),
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, error: errorMessage("bad_json", "Message is not valid JSON.") };
  }
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, error: errorMessage("bad_message", `Message refused: ${describeIssue(result.error)}.`) };
}

/** The first problem of a failed parse, as `path: message`. */
function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  return `${where}${issue?.message ?? "invalid"}`;
}

export const errorMessage = (code: string, message: string): ErrorMessage => ({ type: "error", code, message });

/** A refused control request, in the API's error shape. */
export const controlError = (status: number, code: string, message: string): ControlReply => ({
  status,
  body: { error: { code, message } },
});

/** Parses a control request; a bad one becomes a 400 reply naming the first problem. */
export function parseControl<S extends z.ZodType>(
  schema: S,
  body: unknown,
): { ok: true; data: z.infer<S> } | { ok: false; reply: ControlReply } {
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, data: result.data };
  return {
    ok: false,
    reply: controlError(400, "bad_request", `Control message refused: ${describeIssue(result.error)}.`),
  };
}
