/**
 * The published metric names of each workload (DESIGN.md section 3, plus the compute rates and
 * drag-race fields), in the order exports list them. Tests outside the project read these names.
 */
import type { Workload } from "./enums.ts";

export const knownMetricNames: Record<Workload, readonly string[]> = {
  compute: [
    "algorithm",
    "n",
    "threads_used",
    "primes_found",
    "elapsed_ms",
    "primes_per_sec",
    "numbers_per_sec",
    "verified",
    "preset",
    "duration_s",
    "passes",
    "passes_per_sec",
  ],
  llm: [
    "engine",
    "model",
    "ttft_ms",
    "ttfr_ms",
    "prompt_tokens",
    "prompt_eval_ms",
    "prompt_tokens_per_s",
    "gen_tokens",
    "gen_tokens_per_s",
    "total_ms",
    "load_ms",
    "engine_prompt_tokens_per_s",
    "engine_gen_tokens_per_s",
    "harness_overhead_ms",
    "itl_p50_ms",
    "itl_p99_ms",
    "fallback_reason",
    "energy_j",
    "avg_power_w",
  ],
  image: [
    "checkpoint",
    "steps",
    "width",
    "height",
    "images",
    "queue_ms",
    "total_ms",
    "seconds_per_image",
    "it_per_s",
    "energy_j",
  ],
};
