/**
 * Finds a lane's model among what Ollama has pulled. Ollama names models `name:tag` and reads a
 * bare `name` as `name:latest`, so `llama3` and `llama3:latest` are the same model.
 */
import type { ModelInfo } from "../../../coordinator/protocol/hardware.ts";

/** `llama3` -> `llama3:latest`; a name with a tag is kept as it is. */
export function normalizeOllamaModelName(name: string): string {
  const trimmed = name.trim();
  const lastSegment = trimmed.slice(trimmed.lastIndexOf("/") + 1);
  return lastSegment.includes(":") ? trimmed : `${trimmed}:latest`;
}

/** The pulled model `name` refers to, or null. */
export function resolveOllamaModel(name: string, models: readonly ModelInfo[]): ModelInfo | null {
  const wanted = normalizeOllamaModelName(name);
  return models.find((model) => normalizeOllamaModelName(model.name) === wanted) ?? null;
}
