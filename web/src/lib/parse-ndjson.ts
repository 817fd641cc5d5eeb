// Parses newline-delimited JSON (the events download) line by line with a schema, so a bad
// line is reported with its line number instead of silently dropped.
import type { z } from "zod";

export function parseNdjson<T>(text: string, schema: z.ZodType<T>): T[] {
  const items: T[] = [];
  const lines = text.split("\n");
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`line ${index + 1} of the events is not JSON`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success)
      throw new Error(`line ${index + 1} of the events is not a stored event: ${parsed.error.message}`);
    items.push(parsed.data);
  }
  return items;
}
