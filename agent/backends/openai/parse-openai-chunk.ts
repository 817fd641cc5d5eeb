/**
 * One `data:` payload of a streamed `/v1/chat/completions` answer. Servers differ: vLLM and OpenAI
 * open with a role-only chunk and close with a usage-only chunk (`choices: []`); llama-server puts
 * `usage` and its own `timings` on the chunk that carries `finish_reason`.
 */
import { z } from "zod";

const count = z.number().int().nonnegative();

const openAiChunkSchema = z.object({
  choices: z
    .array(
      z.object({
        delta: z.object({ content: z.string().nullish() }).nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .default([]),
  usage: z
    .object({
      prompt_tokens: count.nullish(),
      completion_tokens: count.nullish(),
      /** OpenAI and vLLM (with prompt token details on): prompt tokens served from the prefix cache */
      prompt_tokens_details: z.object({ cached_tokens: count.nullish() }).nullish(),
    })
    .nullish(),
  /** llama-server's own measurements: tokens really evaluated and their milliseconds */
  timings: z
    .object({
      prompt_n: count.nullish(),
      prompt_ms: z.number().nullish(),
      predicted_n: count.nullish(),
      predicted_ms: z.number().nullish(),
    })
    .nullish(),
});
export type OpenAiChunk = z.infer<typeof openAiChunkSchema>;

const streamedErrorSchema = z.object({ error: z.object({ message: z.string() }) });
/** llama-server's `error:` line carries the error object itself */
const bareErrorSchema = z.object({ message: z.string() });

export type ParsedOpenAiChunk =
  | { kind: "chunk"; chunk: OpenAiChunk }
  | { kind: "engine-error"; message: string }
  | { kind: "invalid"; message: string };

/** `isError`: the payload came in an `error` event, so it is the error itself. */
export function parseOpenAiChunk(data: string, isError: boolean): ParsedOpenAiChunk {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    if (isError) return { kind: "engine-error", message: data };
    return { kind: "invalid", message: `The server sent an event that is not JSON: ${data.slice(0, 200)}` };
  }
  const streamedError = streamedErrorSchema.safeParse(json);
  if (streamedError.success) return { kind: "engine-error", message: streamedError.data.error.message };
  if (isError) {
    const bare = bareErrorSchema.safeParse(json);
    return { kind: "engine-error", message: bare.success ? bare.data.message : data.slice(0, 500) };
  }
  const chunk = openAiChunkSchema.safeParse(json);
  if (chunk.success) return { kind: "chunk", chunk: chunk.data };
  return { kind: "invalid", message: `The server sent a chunk of an unexpected shape: ${data.slice(0, 200)}` };
}
