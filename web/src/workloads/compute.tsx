// The compute workload's views: progress card, primes found in the summary, ranking by elapsed
// time (lower is better) or, for the drag race, by passes per second (higher is better).
import { formatDecimal, formatDuration, formatInteger } from "../lib/format.ts";
import { latestResult, numberMetric } from "../lib/lane-metrics.ts";
import type { RankingMetric } from "../lib/rank-lanes.ts";
import { ComputeFormSection } from "./compute-form-section.tsx";
import { ComputeLaneBody } from "./compute-lane-body.tsx";
import type { WorkloadView } from "./registry.ts";

const elapsed: RankingMetric = { name: "elapsed_ms", label: "Elapsed", higherIsBetter: false, format: formatDuration };
const passesPerSec: RankingMetric = {
  name: "passes_per_sec",
  label: "Passes/s",
  higherIsBetter: true,
  format: (value) => `${formatDecimal(value, 2)} passes/s`,
};

/** `{ algorithm: "segmented_sieve", n: 1e8, threads: 2 }` -> "segmented_sieve · n = 100,000,000 · 2 threads". */
function describeComputeParams(params: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof params.algorithm === "string") parts.push(params.algorithm);
  if (typeof params.n === "number") parts.push(`n = ${formatInteger(params.n)}`);
  if (typeof params.threads === "number") parts.push(`${params.threads} thread${params.threads === 1 ? "" : "s"}`);
  if (params.preset === "drag_race")
    parts.push(`drag race${typeof params.duration_s === "number" ? ` ${params.duration_s} s` : ""}`);
  return parts.length > 0 ? parts.join(" · ") : "default parameters";
}

export const computeView: WorkloadView = {
  label: "Compute",
  LaneBody: ComputeLaneBody,
  summaryColumns: [
    {
      label: "Primes found",
      value: (lane) => {
        const result = latestResult(lane);
        const primes = result ? numberMetric(result.metrics, "primes_found") : null;
        return primes === null ? "—" : formatInteger(primes);
      },
    },
  ],
  rankingMetrics: (params) => (params.preset === "drag_race" ? [passesPerSec] : [elapsed]),
  describeParams: describeComputeParams,
  FormSection: ComputeFormSection,
};
