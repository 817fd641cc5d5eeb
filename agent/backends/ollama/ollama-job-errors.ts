/** Ollama's failures worded for the lane's card: what happened and the command that fixes it. */
import type { JobError } from "../../../coordinator/protocol/job.ts";

export function ollamaUnreachable(baseUrl: string, reason: string): JobError {
  return {
    code: "engine_unreachable",
    message: `Ollama at ${baseUrl} is not reachable (${reason}). Start it with \`ollama serve\` or pass --ollama-url.`,
  };
}

/** An HTTP error answer; a 404 means Ollama lacks the model. */
export function ollamaHttpError(baseUrl: string, status: number, message: string, model: string): JobError {
  if (status === 404) {
    return {
      code: "missing_model",
      message: `Ollama at ${baseUrl} has no model "${model}" (${message}). Pull it with \`ollama pull ${model}\`.`,
    };
  }
  return { code: "engine_error", message: `Ollama at ${baseUrl} answered HTTP ${status}: ${message}` };
}
