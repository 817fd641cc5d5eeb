/** What every LLM backend puts in a pass's `result`: who ran it, and what the engine itself reported. */
import type { EngineLlmMetrics } from "./backend.ts";

export interface LlmPassMetrics extends EngineLlmMetrics {
  [name: string]: string | number | boolean | null;
  /** the engine's name, e.g. "ollama", "llama.cpp", "vllm", "openai-compatible", "mock" */
  engine: string;
  model: string;
  /** true when the engine reused a cached prompt (its prompt processing was not measured); null when it did not say */
  prompt_cached: boolean | null;
  /** why generation stopped, as the engine said it ("stop", "length", ...); null when it did not say */
  finish_reason: string | null;
}
