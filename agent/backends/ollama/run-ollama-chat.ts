/**
 * One pass on Ollama: a streamed `POST /api/chat` translated into workload events. Ollama has no
 * per-request switch to turn its prompt cache off, so `cache_prompt: false` cannot be honoured;
 * instead the result says whether the prompt came from the cache (`prompt_cached`).
 */
import type { JobError } from "../../../coordinator/protocol/job.ts";
import type { LlmParams } from "../../../coordinator/protocol/llm.ts";
import type { WorkloadEvent } from "../backend.ts";
import { fetchFailureReason } from "../fetch-failure-reason.ts";
import type { LlmPassMetrics } from "../llm-pass-metrics.ts";
import { passCancelled, type TerminalEvent } from "../pass-cancelled.ts";
import { readErrorBody } from "../read-error-body.ts";
import { readLines } from "../read-lines.ts";
import { ollamaHttpError, ollamaUnreachable } from "./ollama-job-errors.ts";
import { type OllamaChunk, parseOllamaChunk } from "./parse-ollama-chunk.ts";
import { toOllamaChatRequest } from "./to-ollama-chat-request.ts";

export interface OllamaChatPass {
  fetchFn: typeof fetch;
  baseUrl: string;
  /** the model's name as Ollama lists it */
  model: string;
  params: LlmParams;
}

/** Every event of one pass, ending with exactly one `result` or `error`. */
export async function* runOllamaChat(pass: OllamaChatPass, signal: AbortSignal): AsyncGenerator<WorkloadEvent> {
  const terminal = yield* streamChat(pass, signal);
  yield terminal;
}

async function* streamChat(pass: OllamaChatPass, signal: AbortSignal): AsyncGenerator<WorkloadEvent, TerminalEvent> {
  const { fetchFn, baseUrl, model, params } = pass;
  if (signal.aborted) return passCancelled;
  const body = JSON.stringify(toOllamaChatRequest(model, params));
  yield { type: "begin" };
  let response: Response;
  try {
    const headers = { "content-type": "application/json" };
    response = await fetchFn(`${baseUrl}/api/chat`, { method: "POST", headers, body, signal });
  } catch (err) {
    return signal.aborted ? passCancelled : failed(ollamaUnreachable(baseUrl, fetchFailureReason(err)));
  }
  if (!response.ok) return failed(ollamaHttpError(baseUrl, response.status, await readErrorBody(response), model));
  if (!response.body) return streamError("Ollama answered without a body.");

  let firstRead = true;
  try {
    for await (const lines of readLines(response.body, signal)) {
      if (firstRead) {
        firstRead = false;
        yield { type: "first-byte" };
      }
      for (const line of lines) {
        if (line.trim() === "") continue;
        const parsed = parseOllamaChunk(line);
        if (parsed.kind === "engine-error") return streamError(`Ollama failed mid-stream: ${parsed.message}`);
        if (parsed.kind === "invalid") return streamError(parsed.message);
        const { chunk } = parsed;
        const text = chunk.message?.content ?? "";
        // Ollama counts tokens only in its final chunk (which may carry text too): that count is the result's.
        if (text !== "") yield { type: "text", text, tokens: null };
        if (chunk.done) return { type: "result", metrics: toOllamaMetrics(model, chunk) };
      }
    }
  } catch (err) {
    if (signal.aborted) return passCancelled;
    return streamError(`The connection to Ollama broke mid-stream (${fetchFailureReason(err)}).`);
  }
  return streamError("Ollama's stream ended before its final chunk (done: true); the engine may have crashed.");
}

/** Ollama's durations are nanoseconds; metrics are milliseconds. */
const toMs = (nanoseconds: number | undefined) => (nanoseconds === undefined ? null : nanoseconds / 1e6);

function toOllamaMetrics(model: string, final: OllamaChunk): LlmPassMetrics {
  return {
    engine: "ollama",
    model,
    prompt_tokens: final.prompt_eval_count ?? null,
    gen_tokens: final.eval_count ?? null,
    engine_prompt_eval_ms: toMs(final.prompt_eval_duration),
    engine_gen_ms: toMs(final.eval_duration),
    load_ms: toMs(final.load_duration),
    engine_total_ms: toMs(final.total_duration),
    // Ollama leaves prompt_eval_count out when the whole prompt came from its cache.
    prompt_cached: final.prompt_eval_count === undefined,
    finish_reason: final.done_reason ?? null,
  };
}

const failed = (error: JobError): TerminalEvent => ({ type: "error", error });
const streamError = (message: string): TerminalEvent => failed({ code: "stream_error", message });
