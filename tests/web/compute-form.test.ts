import { describe, expect, it } from "vitest";
import { type ComputeFormFields, parseComputeForm } from "../../web/src/lib/compute-form.ts";

const fields = (change: Partial<ComputeFormFields> = {}): ComputeFormFields => ({
  agentIds: ["a1", "a2"],
  algorithm: "segmented_sieve",
  dragRace: false,
  n: "100,000,000",
  threads: "",
  repeats: "3",
  warmup: "1",
  progressInterval: "0.5",
  duration: "5",
  ...change,
});

describe("parseComputeForm", () => {
  it("builds the run body, leaving threads out when blank", () => {
    expect(parseComputeForm(fields())).toEqual({
      ok: true,
      body: {
        workload: "compute",
        agents: ["a1", "a2"],
        params: { algorithm: "segmented_sieve", n: 100_000_000, progress_interval_s: 0.5 },
        repeats: 3,
        warmup: 1,
        force: false,
        deadline_s: 14_400,
      },
    });
  });

  it("accepts exponent form and adds the drag-race fields", () => {
    const result = parseComputeForm(fields({ n: "1e6", threads: "8", dragRace: true, duration: "2.5" }));
    expect(result.ok && result.body.params).toEqual({
      algorithm: "segmented_sieve",
      n: 1_000_000,
      threads: 8,
      progress_interval_s: 0.5,
      preset: "drag_race",
      duration_s: 2.5,
    });
  });

  it("names the field of each mistake, as the API does", () => {
    expect(parseComputeForm(fields({ n: "5" }))).toEqual({ ok: false, error: "params.n: n must be at least 10" });
    expect(parseComputeForm(fields({ algorithm: "trial_division", n: "1e9" }))).toMatchObject({
      ok: false,
      error: expect.stringContaining("params.n: n must be at most 1e+8 for trial_division"),
    });
    expect(parseComputeForm(fields({ threads: "two" }))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^params\.threads: /),
    });
    expect(parseComputeForm(fields({ repeats: "0" }))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^repeats: /),
    });
  });

  it("asks for a machine before anything else", () => {
    expect(parseComputeForm(fields({ agentIds: [], n: "x" }))).toEqual({
      ok: false,
      error: "Pick at least one machine to race.",
    });
  });
});
