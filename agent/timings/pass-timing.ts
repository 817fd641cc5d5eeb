/**
 * One timing module per workload: the runner feeds every backend event with its own clock's
 * reading, and the workload's module turns them and the engine's figures into the pass's metrics.
 */
import type { Workload } from "../../coordinator/protocol/enums.ts";
import type { LiveStats, Metrics, Timeline } from "../../coordinator/protocol/job.ts";
import type { WorkloadEvent } from "../backends/backend.ts";
import { createComputePassTiming } from "./compute-pass-timing.ts";
import { createImagePassTiming } from "./image-pass-timing.ts";
import { createLlmPassTiming } from "./llm-pass-timing.ts";

/** What a pass produced, as stored in its result. */
export interface PassOutcome {
  metrics: Metrics;
  output?: string;
  timeline?: Timeline;
  /** image: when each finished image was sampled, by its index in the pass */
  imageTimes?: { index: number; seed: number; gen_ms: number }[];
}

export interface PassTiming {
  /** the runner received `event` at `tMs` milliseconds since the pass began (its `begin`) */
  observe(event: WorkloadEvent, tMs: number): void;
  /** live figures of the pass at `tMs`, or null when the workload shows none */
  live(tMs: number): LiveStats | null;
  /** the result: the engine's figures (from its `result`) with the runner's clocks, at `tMs` */
  finish(engine: Metrics, tMs: number): PassOutcome;
}

export const createPassTiming: Record<Workload, () => PassTiming> = {
  compute: createComputePassTiming,
  llm: createLlmPassTiming,
  image: createImagePassTiming,
};
