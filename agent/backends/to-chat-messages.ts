/** The chat messages of an LLM pass, the same for every chat API: an optional system message, then the prompt. */
import type { LlmParams } from "../../coordinator/protocol/llm.ts";

export interface ChatMessage {
  role: "system" | "user";
  content: string;
}

export function toChatMessages(params: LlmParams): ChatMessage[] {
  const user: ChatMessage = { role: "user", content: params.prompt };
  return params.system ? [{ role: "system", content: params.system }, user] : [user];
}
