/**
 * One NDJSON line of Ollama's streamed `/api/chat` answer. Durations are nanoseconds; the final
 * `done: true` line carries the counts and may carry text; an `{"error": ...}` line can arrive
 * mid-stream after an HTTP 200.
 */
import { z } from "zod";

const count = z.number().int().nonnegative();
const nanoseconds = z.number().nonnegative();

const ollamaChunkSchema = z.object({
  model: z.string().optional(),
  message: z.object({ content: z.string().optional() }).optional(),
  done: z.boolean(),
  done_reason: z.string().optional(),
  total_duration: nanoseconds.optional(),
  load_duration: nanoseconds.optional(),
  /** absent when the whole prompt came from Ollama's cache */
  prompt_eval_count: count.optional(),
  prompt_eval_duration: nanoseconds.optional(),
  eval_count: count.optional(),
  eval_duration: nanoseconds.optional(),
});
export type OllamaChunk = z.infer<typeof ollamaChunkSchema>;

const ollamaErrorSchema = z.object({ error: z.string() });

export type ParsedOllamaChunk =
  | { kind: "chunk"; chunk: OllamaChunk }
  | { kind: "engine-error"; message: string }
  | { kind: "invalid"; message: string };

export function parseOllamaChunk(line: string): ParsedOllamaChunk {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { kind: "invalid", message: `Ollama sent a line that is not JSON: ${line.slice(0, 200)}` };
  }
  const error = ollamaErrorSchema.safeParse(json);
  if (error.success) return { kind: "engine-error", message: error.data.error };
  const chunk = ollamaChunkSchema.safeParse(json);
  if (chunk.success) return { kind: "chunk", chunk: chunk.data };
  return { kind: "invalid", message: `Ollama sent a chunk of an unexpected shape: ${line.slice(0, 200)}` };
}
