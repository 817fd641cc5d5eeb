/**
 * The body of the streamed `POST /api/chat` every Ollama pass sends, also used by
 * `scripts/record-fixture.ts` so recorded fixtures answer exactly this request.
 */
import type { LlmParams } from "../../../coordinator/protocol/llm.ts";
import { type ChatMessage, toChatMessages } from "../to-chat-messages.ts";

export interface OllamaChatRequest {
  model: string;
  messages: ChatMessage[];
  stream: true;
  /** how long Ollama keeps the model loaded after the request (Go duration, e.g. "10m") */
  keep_alive: string;
  options: { num_predict: number; num_ctx: number; temperature: number; seed: number };
}

/** How long Ollama keeps a raced model loaded between passes. */
export const ollamaKeepAlive = "10m";

export function toOllamaChatRequest(model: string, params: LlmParams): OllamaChatRequest {
  return {
    model,
    messages: toChatMessages(params),
    stream: true,
    keep_alive: ollamaKeepAlive,
    options: {
      num_predict: params.max_tokens,
      num_ctx: params.num_ctx,
      temperature: params.temperature,
      seed: params.seed,
    },
  };
}
