/**
 * One pass of the embedded llama.cpp: the templated prompt is evaluated from an empty sequence (unless
 * the lane allows prompt caching), then each sampled token becomes one `text` event carrying the
 * engine's count of tokens generated so far. The next token is already asked for while the consumer
 * handles an event, so a slow consumer never slows the engine.
 */
import type { LlmParams } from "../../../coordinator/protocol/llm.ts";
import type { WorkloadEvent } from "../backend.ts";
import type { LlmPassMetrics } from "../llm-pass-metrics.ts";
import { passCancelled } from "../pass-cancelled.ts";
import type { LlamaContextSequence, LlamaModel, LlamaToken } from "./load-node-llama-cpp.ts";
import type { LlamaTimings } from "./parse-llama-timings.ts";

/** engine name in metrics and provenance */
export const llamacppEngine = "llama.cpp (embedded)";

export interface LlamacppSession {
  model: LlamaModel;
  sequence: LlamaContextSequence;
  /** the lane's prompt through the model's chat template */
  promptTokens: LlamaToken[];
  /** the GGUF file name */
  modelName: string;
  params: LlmParams;
  /** llama.cpp's timings since the last call, which resets them */
  takeTimings(): Promise<LlamaTimings>;
  /** waits until the engine has stopped working for an earlier pass */
  idle(): Promise<void>;
  /** `work` is what the engine still does for this pass after the pass has ended */
  settle(work: Promise<unknown>): void;
}

export async function* runLlamacppPass(s: LlamacppSession, signal: AbortSignal): AsyncGenerator<WorkloadEvent> {
  await s.idle();
  if (signal.aborted) {
    yield passCancelled;
    return;
  }
  const { params } = s;
  let onAbort = () => {};
  const aborted = new Promise<"aborted">((resolve) => {
    onAbort = () => resolve("aborted");
    signal.addEventListener("abort", onAbort, { once: true });
  });
  let tokens: AsyncGenerator<LlamaToken, void> | null = null;
  let pending: Promise<IteratorResult<LlamaToken, void>> = Promise.resolve({ done: true, value: undefined });
  try {
    const cached = await rewindSequence(s);
    await s.takeTimings();
    tokens = s.sequence.evaluate(cached.input, { temperature: params.temperature, seed: params.seed });
    pending = tokens.next();
    yield { type: "begin" };
    const decode = createTokenDecoder(s.model);
    let generated = 0;
    for (;;) {
      const next = await Promise.race([pending, aborted]);
      if (next === "aborted") {
        yield passCancelled;
        return;
      }
      if (next.done) break;
      generated += 1;
      const last = generated >= params.max_tokens;
      if (!last) pending = tokens.next();
      if (generated === 1) yield { type: "first-byte" };
      yield { type: "text", text: decode(next.value), tokens: generated };
      if (last) break;
    }
    const rest = decode(null);
    if (rest !== "") yield { type: "text", text: rest, tokens: generated };
    const timings = await s.takeTimings();
    const metrics: LlmPassMetrics = {
      engine: llamacppEngine,
      model: s.modelName,
      prompt_tokens: timings.promptTokens,
      gen_tokens: generated,
      engine_prompt_eval_ms: timings.promptEvalMs,
      engine_gen_ms: timings.evalMs,
      // the model was loaded once, by `prepare`; llama.cpp's "load time" is its context's first evaluation
      load_ms: null,
      engine_total_ms: timings.totalMs,
      prompt_cached: cached.cached,
      finish_reason: generated >= params.max_tokens ? "length" : "stop",
    };
    yield { type: "result", metrics };
  } catch (error) {
    if (signal.aborted) yield passCancelled;
    else {
      const reason = error instanceof Error ? error.message : String(error);
      yield { type: "error", error: { code: "stream_error", message: `llama.cpp failed mid-pass: ${reason}` } };
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    s.settle(Promise.allSettled([pending, tokens?.return()]));
  }
}

/** Empties the sequence, or with prompt caching keeps the prompt's longest prefix it already holds. */
async function rewindSequence(s: LlamacppSession): Promise<{ input: LlamaToken[]; cached: boolean }> {
  const { sequence, promptTokens } = s;
  if (!s.params.cache_prompt) {
    await sequence.clearHistory();
    return { input: promptTokens, cached: false };
  }
  const held = sequence.contextTokens;
  // at least one prompt token is evaluated again: sampling needs its logits
  let keep = 0;
  while (keep < held.length && keep < promptTokens.length - 1 && held[keep] === promptTokens[keep]) keep += 1;
  if (keep < sequence.nextTokenIndex)
    await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
  return { input: promptTokens.slice(keep), cached: keep > 0 };
}

/**
 * The text of each sampled token. A token that ends inside a multi-byte character gives "" until the
 * character is complete; `null` flushes what is held.
 */
function createTokenDecoder(model: LlamaModel): (token: LlamaToken | null) => string {
  let before: LlamaToken[] = [];
  let held: LlamaToken[] = [];
  return (token) => {
    if (token !== null) held.push(token);
    if (held.length === 0) return "";
    const text = model.detokenize(held, false, before);
    if (token !== null && text.endsWith("\uFFFD") && held.length < 4) return "";
    before = [...before, ...held].slice(-8);
    held = [];
    return text;
  };
}
