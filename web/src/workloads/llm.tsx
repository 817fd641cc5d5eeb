import { formatDecimal, formatDuration, formatInteger, quotePrompt } from "../lib/format.ts";
import { medianText } from "../lib/lane-metrics.ts";
import type { RankingMetric } from "../lib/rank-lanes.ts";
import { LlmFormSection } from "./llm-form-section.tsx";
import { formatTokenRate, LlmLaneBody } from "./llm-lane-body.tsx";
import type { WorkloadView } from "./registry.ts";

const llmRankingMetrics: readonly RankingMetric[] = [
  { name: "gen_tokens_per_s", label: "Gen tokens/s", higherIsBetter: true, format: formatTokenRate },
  { name: "engine_gen_tokens_per_s", label: "Engine gen tokens/s", higherIsBetter: true, format: formatTokenRate },
  { name: "ttft_ms", label: "TTFT", higherIsBetter: false, format: formatDuration },
  { name: "prompt_tokens_per_s", label: "Prompt tokens/s", higherIsBetter: true, format: formatTokenRate },
  { name: "total_ms", label: "Total time", higherIsBetter: false, format: formatDuration },
];

/** `{ prompt, max_tokens: 256, num_ctx: 4096, ... }` -> "“Explain…” · 256 max tokens · ctx 4,096 · temp 0.2 · seed 42". */
function describeLlmParams(params: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof params.prompt === "string") parts.push(quotePrompt(params.prompt));
  if (typeof params.max_tokens === "number") parts.push(`${formatInteger(params.max_tokens)} max tokens`);
  if (typeof params.num_ctx === "number") parts.push(`ctx ${formatInteger(params.num_ctx)}`);
  if (typeof params.temperature === "number") parts.push(`temp ${formatDecimal(params.temperature, 2)}`);
  if (typeof params.seed === "number") parts.push(`seed ${params.seed}`);
  if (params.cache_prompt === true) parts.push("prompt cache on");
  return parts.length > 0 ? parts.join(" · ") : "default parameters";
}

export const llmView: WorkloadView = {
  label: "LLM",
  LaneBody: LlmLaneBody,
  summaryColumns: [
    { label: "Model", value: (lane) => lane.model ?? "—" },
    { label: "Median TTFT", value: (lane) => medianText(lane, "ttft_ms", formatDuration) },
    { label: "Median engine gen", value: (lane) => medianText(lane, "engine_gen_tokens_per_s", formatTokenRate) },
  ],
  rankingMetrics: () => llmRankingMetrics,
  describeParams: describeLlmParams,
  FormSection: LlmFormSection,
};
