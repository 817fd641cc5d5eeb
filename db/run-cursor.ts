/** Opaque paging cursors of the run list: the (created_at, id) of the last run of a page, base64url. */

export interface RunCursor {
  /** milliseconds since the Unix epoch */
  createdAt: number;
  id: string;
}

export const encodeRunCursor = (cursor: RunCursor): string =>
  Buffer.from(JSON.stringify([cursor.createdAt, cursor.id])).toString("base64url");

/** The cursor inside `text`, or null when `text` is not a cursor this module wrote. */
export function decodeRunCursor(text: string): RunCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [createdAt, id] = value as unknown[];
    if (typeof createdAt !== "number" || !Number.isFinite(createdAt) || typeof id !== "string") return null;
    return { createdAt, id };
  } catch {
    return null;
  }
}
