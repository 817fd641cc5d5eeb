/** An OpenAI-compatible server's failures worded for the lane's card: what happened and what fixes it. */
import type { JobError } from "../../../coordinator/protocol/job.ts";

/** `label`: the engine's name once known ("llama.cpp", "vllm"), else a generic one. */
export function openAiUnreachable(label: string, root: string, reason: string): JobError {
  return {
    code: "engine_unreachable",
    message: `The ${label} server at ${root} is not reachable (${reason}). Start it (e.g. \`llama-server -m model.gguf\`) or pass --openai-url.`,
  };
}

/** An HTTP error answer to a generation request; a 404 means the server lacks the model. */
export function openAiHttpError(label: string, root: string, status: number, message: string, model: string): JobError {
  if (status === 404) {
    return { code: "missing_model", message: `The ${label} server at ${root} has no model "${model}": ${message}` };
  }
  return { code: "engine_error", message: `The ${label} server at ${root} answered HTTP ${status}: ${message}` };
}
