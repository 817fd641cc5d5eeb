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
/** Most worker threads one job may ask for. */
export const computeMaxThreads = 256;

export const computeParamsSchema = z
  .object({
    algorithm: computeAlgorithmSchema.default("segmented_sieve"),
    /** count primes <= n */
    n: z
      .number({ error: "n must be a number" })
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
  })
  .superRefine((p, ctx) => {
    const max = computeMaxN[p.algorithm];
    if (p.n > max) {
      ctx.addIssue({
        code: "custom",
        path: ["n"],
        message: `n must be at most ${max.toExponential()} for ${p.algorithm}; use segmented_sieve for larger n`,
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
