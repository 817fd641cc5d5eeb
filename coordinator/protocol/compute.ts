/**
 * Parameters of the CPU compute workload (count primes <= n) and their bounds. The bounds keep
 * anyone from allocating memory or time proportional to an absurd n by accident.
 */
import { z } from "zod";

export const computeAlgorithms = ["segmented_sieve", "simple_sieve", "trial_division"] as const;
export const computeAlgorithmSchema = z.enum(computeAlgorithms);
export type ComputeAlgorithm = z.infer<typeof computeAlgorithmSchema>;

/** Largest n each algorithm accepts. The segmented sieve uses O(sqrt n) memory per thread. */
export const computeMaxN: Record<ComputeAlgorithm, number> = {
  segmented_sieve: 1e13,
  simple_sieve: 4e9,
  trial_division: 1e8,
};
export const computeMinN = 10;

/**
 * Presets. `drag_race` is the classic "Prime drag race": count the primes <= n (1,000,000 in the
 * original) again and again for `duration_s` seconds on each thread; the result is passes per second.
 */
export const computePresets = ["drag_race"] as const;
export const computePresetSchema = z.enum(computePresets);
export type ComputePreset = z.infer<typeof computePresetSchema>;
/** The drag race as published: n = 1,000,000, 5 seconds. */
export const dragRaceDefaults = { n: 1_000_000, duration_s: 5 } as const;
/** Largest n of one drag-race pass. */
export const dragRaceMaxN = 1e9;
/** Most worker threads one job may ask for. */
export const computeMaxThreads = 256;

export const computeParamsSchema = z
  .object({
    algorithm: computeAlgorithmSchema.default("segmented_sieve"),
    /** count primes <= n */
    n: z
      .number({
        error: (issue) => (issue.input === undefined ? "n is required: count primes <= n" : "n must be a number"),
      })
      .int({ error: "n must be a whole number" })
      .min(computeMinN, { error: `n must be at least ${computeMinN}` }),
    /** worker threads; omitted means every logical core of the agent */
    threads: z
      .number()
      .int({ error: "threads must be a whole number" })
      .min(1, { error: "threads must be at least 1" })
      .max(computeMaxThreads, { error: `threads must be at most ${computeMaxThreads}` })
      .optional(),
    /** seconds between progress lines */
    progress_interval_s: z.number().min(0.05).max(60).default(1),
    /** run a preset instead of a single count; omitted means one count of the primes <= n */
    preset: computePresetSchema.optional(),
    /** drag race only: seconds each thread keeps running passes; omitted means 5 */
    duration_s: z
      .number({ error: "duration_s must be a number of seconds" })
      .min(0.1, { error: "duration_s must be at least 0.1" })
      .max(60, { error: "duration_s must be at most 60" })
      .optional(),
  })
  .superRefine((p, ctx) => {
    const max = computeMaxN[p.algorithm];
    if (p.n > max) {
      ctx.addIssue({
        code: "custom",
        path: ["n"],
        message:
          p.algorithm === "segmented_sieve"
            ? `n must be at most ${max.toExponential()}, the segmented sieve's documented maximum`
            : `n must be at most ${max.toExponential()} for ${p.algorithm}; use segmented_sieve for larger n`,
      });
    }
    if (p.duration_s !== undefined && p.preset !== "drag_race") {
      ctx.addIssue({
        code: "custom",
        path: ["duration_s"],
        message: 'duration_s only applies to preset "drag_race"',
      });
    }
    if (p.preset === "drag_race" && p.n > dragRaceMaxN) {
      ctx.addIssue({
        code: "custom",
        path: ["n"],
        message: `n must be at most ${dragRaceMaxN.toExponential()} for the drag race (it runs many passes; the classic is 1e6)`,
      });
    }
  });
export type ComputeParams = z.infer<typeof computeParamsSchema>;

/** pi(10^k) for k = 0..13: the number of primes <= 10^k, used to set `verified`. */
export const knownPrimeCounts: ReadonlyMap<number, number> = new Map([
  [1, 0],
  [10, 4],
  [100, 25],
  [1e3, 168],
  [1e4, 1229],
  [1e5, 9592],
  [1e6, 78498],
  [1e7, 664579],
  [1e8, 5761455],
  [1e9, 50847534],
  [1e10, 455052511],
  [1e11, 4118054813],
  [1e12, 37607912018],
  [1e13, 346065536839],
]);
