/**
 * The body of the streamed `POST /v1/chat/completions` every OpenAI-compatible pass sends, also
 * used by `scripts/record-fixture.ts` so recorded fixtures answer exactly this request. There is
 * no `num_ctx`: the context size is the server's start-up setting (llama-server `-c`, vLLM
 * `--max-model-len`).
 */
import type { LlmParams } from "../../../coordinator/protocol/llm.ts";
import { type ChatMessage, toChatMessages } from "../to-chat-messages.ts";

export interface OpenAiChatRequest {
  model: string;
  messages: ChatMessage[];
  stream: true;
  /** asks for the usage chunk at the end of the stream (OpenAI, vLLM; llama-server sends usage anyway) */
  stream_options: { include_usage: true };
  max_tokens: number;
  temperature: number;
  seed: number;
  /**
   * llama-server's switch for its prompt cache, always sent: servers ignore fields they do not know.
   * vLLM's prefix cache and LM Studio's have no per-request switch; `prompt_cached` says when they hit.
   */
  cache_prompt: boolean;
}

export function toOpenAiChatRequest(model: string, params: LlmParams): OpenAiChatRequest {
  return {
    model,
    messages: toChatMessages(params),
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: params.max_tokens,
    temperature: params.temperature,
    seed: params.seed,
    cache_prompt: params.cache_prompt,
  };
}
