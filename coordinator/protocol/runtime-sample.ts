/**
 * One second of a machine's runtime figures, as the agent's sampler reads them. Volatile on the
 * wire (never numbered or re-sent); the race room keeps those of its window and the run sink stores
 * them (`GET /api/runs/:id/samples`, DESIGN.md section 3). Every figure is null when not read.
 */
import { z } from "zod";

export const gpuSampleSchema = z.object({
  /** the vendor tool's device index, as in the hardware's gpus[].index */
  index: z.number().int().nonnegative(),
  /** 0..100 */
  util_percent: z.number().min(0).max(100).nullable(),
  vram_used_bytes: z.number().nonnegative().nullable(),
  /** board power draw, watts */
  power_w: z.number().nonnegative().nullable(),
  /** degrees Celsius */
  temp_c: z.number().nullable(),
});
export type GpuSample = z.infer<typeof gpuSampleSchema>;

/** What an agent sends: the room adds who sent it and stamps it with its own clock. */
export const runtimeSampleSchema = z.object({
  /** agent clock, ms since the Unix epoch, when the figures were read */
  at: z.number(),
  /** all cores together, 0..100 */
  cpu_percent: z.number().min(0).max(100).nullable(),
  memory_used_bytes: z.number().nonnegative().nullable(),
  /** CPU package power from RAPL (Linux) or powermetrics (macOS), watts */
  cpu_power_w: z.number().nonnegative().nullable().optional(),
  gpus: z.array(gpuSampleSchema).max(64),
});
export type RuntimeSample = z.infer<typeof runtimeSampleSchema>;

/** A sample as rooms keep and the API serves it: `at` is the room's clock when it arrived. */
export const machineSampleSchema = runtimeSampleSchema.extend({ agent_id: z.string().min(1).max(100) });
export type MachineSample = z.infer<typeof machineSampleSchema>;

/** Milliseconds a race room waits after a machine's sample before it keeps the next (agents send one a second). */
export const minSampleGapMs = 500;

/** Samples a race room keeps per run; at one a second per machine that is over an hour for 4 machines. */
export const maxRunSamples = 20_000;
