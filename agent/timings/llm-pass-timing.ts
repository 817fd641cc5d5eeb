/**
 * Timing of an LLM pass. The agent's clock gives TTFR (first byte), TTFT (first chunk with text),
 * the decode rate between the first and last token, and the total; the engine's own durations
 * stand beside them, and their difference is the harness overhead. Token counts are the engine's
 * only: a chunk is taken as one token only when the engine's final count says every chunk was one.
 */
import type { LiveStats, Metrics, Timeline } from "../../coordinator/protocol/job.ts";
import { nearestRank } from "../../coordinator/protocol/summary.ts";
import type { PassOutcome, PassTiming } from "./pass-timing.ts";
import { toMicroseconds } from "./to-microseconds.ts";

const num = (metrics: Metrics, name: string): number | null => {
  const value = metrics[name];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
};
const round = (ms: number | null) => (ms === null ? null : toMicroseconds(ms));
const perSecond = (count: number | null, ms: number | null) =>
  count !== null && ms !== null && ms > 0 ? (count * 1000) / ms : null;

export function createLlmPassTiming(): PassTiming {
  let firstByte: number | null = null;
  const chunkAt: number[] = [];
  const chunkTokens: (number | null)[] = [];
  let output = "";

  /** the engine's latest cumulative count, if it gave one */
  const lastCount = () => {
    for (let i = chunkTokens.length - 1; i >= 0; i--) if (chunkTokens[i] !== null) return chunkTokens[i] as number;
    return null;
  };

  return {
    observe(event, tMs) {
      if (event.type === "first-byte") firstByte ??= tMs;
      if (event.type !== "text") return;
      if (event.text === "") {
        // a count without text (e.g. a token that decodes to nothing yet) updates the latest chunk
        if (event.tokens !== null && chunkTokens.length > 0) chunkTokens[chunkTokens.length - 1] = event.tokens;
        return;
      }
      firstByte ??= tMs;
      chunkAt.push(tMs);
      chunkTokens.push(event.tokens);
      output += event.text;
    },
    live(tMs): LiveStats {
      const tokens = lastCount();
      const first = chunkAt[0] ?? null;
      const last = chunkAt.at(-1) ?? null;
      const decodeMs = first !== null && last !== null ? last - first : null;
      return {
        elapsed_ms: round(tMs),
        ttft_ms: round(first),
        tokens,
        chunks: chunkAt.length,
        tokens_per_s: tokens !== null && tokens > 1 ? perSecond(tokens - 1, decodeMs) : null,
      };
    },
    finish(engine, tMs): PassOutcome {
      const genTokens = num(engine, "gen_tokens");
      const promptTokens = num(engine, "prompt_tokens");
      const enginePromptMs = num(engine, "engine_prompt_eval_ms");
      const engineGenMs = num(engine, "engine_gen_ms");
      const engineTotalMs = num(engine, "engine_total_ms");
      const perTokenChunks = chunksAreTokens(chunkTokens, genTokens);
      const tokens = perTokenChunks ? chunkAt.map((_, i) => i + 1) : chunkTokens;
      const first = chunkAt[0] ?? null;
      const last = chunkAt.at(-1) ?? null;
      const decodeMs = first !== null && last !== null ? last - first : null;
      const gaps = perTokenChunks ? chunkAt.slice(1).map((at, i) => at - (chunkAt[i] as number)) : [];
      const timeline: Timeline = { t_ms: chunkAt.map(toMicroseconds), tokens };
      const metrics: Metrics = {
        ...engine,
        ttfr_ms: round(firstByte),
        ttft_ms: round(first),
        prompt_tokens: promptTokens,
        prompt_eval_ms: round(enginePromptMs),
        prompt_tokens_per_s: perSecond(promptTokens, first),
        gen_tokens: genTokens,
        gen_tokens_per_s: genTokens !== null && genTokens > 1 ? perSecond(genTokens - 1, decodeMs) : null,
        total_ms: toMicroseconds(tMs),
        load_ms: round(num(engine, "load_ms")),
        engine_prompt_tokens_per_s: perSecond(promptTokens, enginePromptMs),
        engine_gen_tokens_per_s: perSecond(genTokens, engineGenMs),
        harness_overhead_ms: engineTotalMs === null ? null : toMicroseconds(tMs - engineTotalMs),
        itl_p50_ms: gaps.length > 0 ? round(nearestRank(gaps, 0.5)) : null,
        itl_p99_ms: gaps.length > 0 ? round(nearestRank(gaps, 0.99)) : null,
        fallback_reason: engine.fallback_reason ?? null,
        energy_j: null,
        avg_power_w: null,
        energy_source: "none",
      };
      return { metrics, output, timeline };
    },
  };
}

/**
 * True when every chunk with text carried exactly one token: either the engine counted each chunk
 * (1, 2, 3, ...) or it gave no per-chunk counts and its final count equals the number of chunks.
 */
function chunksAreTokens(chunkTokens: readonly (number | null)[], genTokens: number | null): boolean {
  if (chunkTokens.length === 0 || genTokens !== chunkTokens.length) return false;
  if (chunkTokens.every((t) => t === null)) return true;
  return chunkTokens.every((t, i) => t === i + 1);
}
