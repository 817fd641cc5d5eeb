/**
 * Summary statistics of a lane's measured passes (warm-ups left out). A lane whose results came
 * from the mock engine is never summarised, so it cannot be ranked against real engines.
 */
import type { Result } from "./race-state.ts";

export interface MetricSummary {
  /** measured passes that reported this metric */
  n: number;
  median: number;
  mean: number;
  /** sample standard deviation; 0 for a single pass */
  stdev: number;
  min: number;
  max: number;
  /** nearest-rank 95th percentile */
  p95: number;
}
export type LaneSummary = Record<string, MetricSummary>;

export function summarizeValues(values: readonly number[]): MetricSummary | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / n;
  const variance = n > 1 ? sorted.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1) : 0;
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return {
    n,
    median,
    mean,
    stdev: Math.sqrt(variance),
    min: sorted[0] as number,
    max: sorted[n - 1] as number,
    p95: nearestRankOfSorted(sorted, 0.95),
  };
}

const nearestRankOfSorted = (sorted: readonly number[], q: number): number =>
  sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1))] as number;

/** The nearest-rank `q` quantile (0..1) of a non-empty list. */
export const nearestRank = (values: readonly number[], q: number): number =>
  nearestRankOfSorted(
    [...values].sort((a, b) => a - b),
    q,
  );

/** Whether a result was produced by the mock engine (and so must stay out of rankings). */
export const isMockResult = (result: Result): boolean => result.metrics.engine === "mock";

/** Summarises every numeric metric over the measured, non-mock passes; null when there are none. */
export function summarizeResults(results: readonly Result[]): LaneSummary | null {
  const measured = results.filter((r) => !r.warmup && !isMockResult(r));
  if (measured.length === 0) return null;
  const byMetric = new Map<string, number[]>();
  for (const result of measured) {
    for (const [name, value] of Object.entries(result.metrics)) {
      if (typeof value !== "number" || !Number.isFinite(value)) continue;
      const list = byMetric.get(name) ?? [];
      list.push(value);
      byMetric.set(name, list);
    }
  }
  const summary: LaneSummary = {};
  for (const [name, values] of byMetric) {
    const s = summarizeValues(values);
    if (s) summary[name] = s;
  }
  return summary;
}
