/**
 * Parses one socket message with the schema of its direction. A bad message earns an `error`
 * reply naming what was wrong; it never throws into the room.
 */
import type { z } from "zod";
import type { ErrorMessage } from "../protocol/messages.ts";
import type { ControlReply } from "./ports.ts";

/** Messages above this many UTF-8 bytes are refused unread; the Node host's WebSocket payload limit is the same. */
export const maxMessageBytes = 1_000_000;

/** The UTF-8 length of a string, in bytes, without encoding it. */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      // a surrogate pair is one code point of four bytes
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** The message's size in bytes; a short one cannot be over the limit, so it is not counted. */
export const messageBytes = (raw: string): number =>
  raw.length * 3 <= maxMessageBytes ? raw.length : utf8ByteLength(raw);

export type Parsed<T> = { ok: true; data: T } | { ok: false; error: ErrorMessage };

export function parseMessage<S extends z.ZodType>(schema: S, raw: string | Uint8Array): Parsed<z.infer<S>> {
  if (typeof raw !== "string") {
    return {
      ok: false,
      error: errorMessage("bad_message", "Binary message refused: only an agent's image previews may be binary."),
    };
  }
  const bytes = messageBytes(raw);
  if (bytes > maxMessageBytes) {
    return {
      ok: false,
      error: errorMessage("too_large", `Message of ${bytes} bytes refused: the limit is ${maxMessageBytes}.`),
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
