/**
 * The mock engine: an explicit stand-in for demos, tests and a labelled fallback. It streams a
 * text fixed by the params' seed, one word per token at a steady pace, and reports its own counts
 * (honestly: it is the engine). Its results say `engine: "mock"` and are never ranked.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { BackendProbe } from "../../../coordinator/protocol/hardware.ts";
import type { LlmParams } from "../../../coordinator/protocol/llm.ts";
import type { Backend, BackendJob, Prepared, WorkloadEvent } from "../backend.ts";
import type { LlmPassMetrics } from "../llm-pass-metrics.ts";
import { parseLlmJob } from "../parse-llm-job.ts";
import { passCancelled, type TerminalEvent } from "../pass-cancelled.ts";

export interface MockBackendOptions {
  /** milliseconds before each token; 20 by default */
  tokenMs?: number;
  /** waits `ms` milliseconds and rejects when `signal` aborts; a timer by default */
  delay?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export const mockEngineVersion = "1";
const mockModel = "mock";

export function createMockBackend(options: MockBackendOptions = {}): Backend {
  const tokenMs = options.tokenMs ?? 20;
  const delay = options.delay ?? ((ms, signal) => sleep(ms, undefined, { signal }));

  /** Every event of one pass, ending with exactly one `result` or `error`. */
  async function* run(model: string, params: LlmParams, signal: AbortSignal): AsyncGenerator<WorkloadEvent> {
    const terminal = yield* stream(model, params, signal);
    yield terminal;
  }

  async function* stream(
    model: string,
    params: LlmParams,
    signal: AbortSignal,
  ): AsyncGenerator<WorkloadEvent, TerminalEvent> {
    if (signal.aborted) return passCancelled;
    const words = mockWords(params.seed, params.max_tokens);
    yield { type: "begin" };
    for (const [index, word] of words.entries()) {
      try {
        await delay(tokenMs, signal);
      } catch (err) {
        if (signal.aborted) return passCancelled;
        throw err;
      }
      if (signal.aborted) return passCancelled;
      if (index === 0) yield { type: "first-byte" };
      yield { type: "text", text: index === 0 ? word : ` ${word}`, tokens: index + 1 };
    }
    const metrics: LlmPassMetrics = {
      engine: "mock",
      model,
      // the mock's own tokenizer: one token per word
      prompt_tokens: countWords(`${params.system ?? ""} ${params.prompt}`),
      gen_tokens: words.length,
      engine_prompt_eval_ms: null,
      engine_gen_ms: null,
      load_ms: null,
      engine_total_ms: null,
      prompt_cached: false,
      finish_reason: "length",
    };
    return { type: "result", metrics };
  }

  return {
    kind: "mock",
    async probe(): Promise<BackendProbe> {
      return {
        reachable: true,
        version: mockEngineVersion,
        models: [{ name: mockModel, size_bytes: null, digest: null }],
      };
    },
    async prepare(job: BackendJob): Promise<Prepared> {
      const model = job.model ?? mockModel;
      const parsed = parseLlmJob({ ...job, model }, "mock");
      if (!parsed.ok) return parsed;
      const engine = {
        engine: "mock",
        engine_version: mockEngineVersion,
        model_digest: null,
        remote_engine: false,
        engine_host: null,
      };
      return {
        ok: true,
        job: { engine, run: (_pass, signal) => run(model, parsed.params, signal), dispose: async () => {} },
      };
    },
  };
}

const vocabulary = (
  "the machine races a token through memory and its cores answer with steady light every prompt waits " +
  "for bandwidth while clocks count quiet numbers of heat fast model weights stream across wires to one card"
).split(" ");

/** `count` words, the same for the same seed: a mulberry32 sequence picks each word. */
export function mockWords(seed: number, count: number): string[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return Array.from({ length: count }, () => vocabulary[Math.floor(next() * vocabulary.length)] as string);
}

const countWords = (text: string) => text.split(/\s+/).filter((word) => word !== "").length;
