/**
 * One pass on an OpenAI-compatible server: a streamed `POST /v1/chat/completions` translated from
 * server-sent events into workload events. Counts and durations come from the server's `usage`
 * and, on llama-server, its `timings`; a chunk is never taken for a token.
 */
import type { JobError } from "../../../coordinator/protocol/job.ts";
import type { LlmParams } from "../../../coordinator/protocol/llm.ts";
import type { WorkloadEvent } from "../backend.ts";
import { fetchFailureReason } from "../fetch-failure-reason.ts";
import type { LlmPassMetrics } from "../llm-pass-metrics.ts";
import { passCancelled, type TerminalEvent } from "../pass-cancelled.ts";
import { readErrorBody } from "../read-error-body.ts";
import { readLines } from "../read-lines.ts";
import { createSseDecoder, type SseEvent } from "./create-sse-decoder.ts";
import { openAiHttpError, openAiUnreachable } from "./openai-job-errors.ts";
import { type OpenAiChunk, parseOpenAiChunk } from "./parse-openai-chunk.ts";
import { toOpenAiChatRequest } from "./to-openai-chat-request.ts";

export interface OpenAiChatPass {
  fetchFn: typeof fetch;
  /** the server's root URL, without `/v1` */
  root: string;
  /** "llama.cpp", "vllm" or "openai-compatible" */
  engine: string;
  model: string;
  params: LlmParams;
}

/** What the stream said about the whole pass, gathered from whichever chunks carried it. */
interface StreamTotals {
  finishReason: string | null;
  usage: OpenAiChunk["usage"];
  timings: OpenAiChunk["timings"];
}

/** Every event of one pass, ending with exactly one `result` or `error`. */
export async function* runOpenAiChat(pass: OpenAiChatPass, signal: AbortSignal): AsyncGenerator<WorkloadEvent> {
  const terminal = yield* streamChat(pass, signal);
  yield terminal;
}

async function* streamChat(pass: OpenAiChatPass, signal: AbortSignal): AsyncGenerator<WorkloadEvent, TerminalEvent> {
  const { fetchFn, root, engine, model, params } = pass;
  if (signal.aborted) return passCancelled;
  const body = JSON.stringify(toOpenAiChatRequest(model, params));
  yield { type: "begin" };
  let response: Response;
  try {
    const headers = { "content-type": "application/json", accept: "text/event-stream" };
    response = await fetchFn(`${root}/v1/chat/completions`, { method: "POST", headers, body, signal });
  } catch (err) {
    return signal.aborted ? passCancelled : failed(openAiUnreachable(engine, root, fetchFailureReason(err)));
  }
  if (!response.ok) {
    return failed(openAiHttpError(engine, root, response.status, await readErrorBody(response), model));
  }
  if (!response.body) return streamError(`The ${engine} server answered without a body.`);

  const totals: StreamTotals = { finishReason: null, usage: null, timings: null };
  const decoder = createSseDecoder();
  let firstRead = true;
  let sawDone = false;
  /** the text of one event, or the terminal event it forces */
  const handle = (event: SseEvent): string | TerminalEvent => {
    if (event.data === "[DONE]") {
      sawDone = true;
      return "";
    }
    const parsed = parseOpenAiChunk(event.data, event.event === "error");
    if (parsed.kind === "engine-error") return streamError(`The ${engine} server failed mid-stream: ${parsed.message}`);
    if (parsed.kind === "invalid") return streamError(parsed.message);
    const { chunk } = parsed;
    const choice = chunk.choices[0];
    totals.finishReason = choice?.finish_reason ?? totals.finishReason;
    totals.usage = chunk.usage ?? totals.usage;
    totals.timings = chunk.timings ?? totals.timings;
    return choice?.delta?.content ?? "";
  };
  try {
    for await (const lines of readLines(response.body, signal)) {
      if (firstRead) {
        firstRead = false;
        yield { type: "first-byte" };
      }
      for (const line of lines) {
        const event = decoder.push(line);
        if (!event) continue;
        const outcome = handle(event);
        if (typeof outcome !== "string") return outcome;
        // A role-only first chunk and a usage-only trailer carry no text: they are not text events.
        if (outcome !== "") yield { type: "text", text: outcome, tokens: null };
        if (sawDone) return result(engine, model, totals);
      }
    }
    const last = decoder.end();
    if (last) {
      const outcome = handle(last);
      if (typeof outcome !== "string") return outcome;
      if (outcome !== "") yield { type: "text", text: outcome, tokens: null };
    }
  } catch (err) {
    if (signal.aborted) return passCancelled;
    return streamError(`The connection to the ${engine} server broke mid-stream (${fetchFailureReason(err)}).`);
  }
  // Some servers close without [DONE]; a finish_reason still says the generation ended.
  if (sawDone || totals.finishReason !== null) return result(engine, model, totals);
  return streamError(`The ${engine} server's stream ended before it finished (no finish_reason, no [DONE]).`);
}

function result(engine: string, model: string, { finishReason, usage, timings }: StreamTotals): TerminalEvent {
  const promptMs = timings?.prompt_ms ?? null;
  const genMs = timings?.predicted_ms ?? null;
  const metrics: LlmPassMetrics = {
    engine,
    model,
    // timings.prompt_n counts the prompt tokens really evaluated (1 on a cache hit); usage counts the whole prompt.
    prompt_tokens: timings?.prompt_n ?? usage?.prompt_tokens ?? null,
    gen_tokens: usage?.completion_tokens ?? timings?.predicted_n ?? null,
    engine_prompt_eval_ms: promptMs,
    engine_gen_ms: genMs,
    load_ms: null,
    // llama-server's own "total time" is exactly prompt plus generation time.
    engine_total_ms: promptMs !== null && genMs !== null ? promptMs + genMs : null,
    prompt_cached: promptCached({ finishReason, usage, timings }),
    finish_reason: finishReason,
  };
  return { type: "result", metrics };
}

/** Whether the server reused a cached prompt: null when it gave nothing to tell. */
function promptCached({ usage, timings }: StreamTotals): boolean | null {
  const cachedTokens = usage?.prompt_tokens_details?.cached_tokens;
  if (cachedTokens !== null && cachedTokens !== undefined) return cachedTokens > 0;
  const evaluated = timings?.prompt_n;
  const promptTokens = usage?.prompt_tokens;
  if (evaluated === null || evaluated === undefined || promptTokens === null || promptTokens === undefined) return null;
  return evaluated < promptTokens;
}

const failed = (error: JobError): TerminalEvent => ({ type: "error", error });
const streamError = (message: string): TerminalEvent => failed({ code: "stream_error", message });
