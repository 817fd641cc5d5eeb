/**
 * The runtime samples of a race's machines over its window, kept by the race room so late
 * spectators can chart them. Bounded: past `max` samples the oldest go first.
 */
import { type MachineSample, maxRunSamples } from "../protocol/runtime-sample.ts";

/** How many of the newest samples a spectator's snapshot carries. */
export const snapshotSamples = 1200;

export interface RunSamples {
  add(sample: MachineSample): void;
  /** the newest `limit` samples, oldest first */
  latest(limit?: number): MachineSample[];
  size(): number;
}

export function createRunSamples(max = maxRunSamples): RunSamples {
  let kept: MachineSample[] = [];
  return {
    add(sample) {
      kept.push(sample);
      // drop in chunks so a full buffer does not shift on every sample
      if (kept.length > max) kept = kept.slice(kept.length - Math.floor(max * 0.9));
    },
    latest: (limit = snapshotSamples) => kept.slice(-limit),
    size: () => kept.length,
  };
}
