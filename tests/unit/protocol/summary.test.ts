import { describe, expect, it } from "vitest";
import { summarizeResults, summarizeValues } from "../../../coordinator/protocol/summary.ts";

describe("summaries", () => {
  it("gives median, mean, sample stdev, min, max and nearest-rank p95", () => {
    expect(summarizeValues([4, 1, 3, 2])).toEqual({
      n: 4,
      median: 2.5,
      mean: 2.5,
      stdev: Math.sqrt(5 / 3),
      min: 1,
      max: 4,
      p95: 4,
    });
    expect(summarizeValues([7])).toEqual({ n: 1, median: 7, mean: 7, stdev: 0, min: 7, max: 7, p95: 7 });
    expect(summarizeValues([])).toBeNull();
  });

  it("leaves out warm-up passes, mock results and non-numeric metrics", () => {
    const summary = summarizeResults([
      { repeat: 0, warmup: true, metrics: { elapsed_ms: 1000 } },
      { repeat: 0, warmup: false, metrics: { elapsed_ms: 10, algorithm: "segmented_sieve" } },
      { repeat: 1, warmup: false, metrics: { elapsed_ms: 20, verified: true } },
    ]);
    expect(Object.keys(summary ?? {})).toEqual(["elapsed_ms"]);
    expect(summary?.elapsed_ms).toMatchObject({ n: 2, median: 15, min: 10, max: 20 });
    expect(summarizeResults([{ repeat: 0, warmup: false, metrics: { engine: "mock", total_ms: 5 } }])).toBeNull();
  });
});
