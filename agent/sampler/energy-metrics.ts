/**
 * Energy of a pass from the sampler's 1 Hz power readings: the mean power of the readings inside
 * the pass (or, for a pass shorter than a reading's interval, the readings next to it) times the
 * pass's duration. No reading near the pass means not measured: null with `energy_source: "none"`,
 * never a made-up number. One source per workload: the GPUs for llm and image, the CPU package for
 * compute (falling back to whichever exists).
 */
import type { EnergySource, Workload } from "../../coordinator/protocol/enums.ts";
import type { Metrics } from "../../coordinator/protocol/job.ts";

/** One reading: monotonic ms, watts per source that had a value then. */
export interface PowerReading {
  t: number;
  gpu_w: number | null;
  cpu_w: number | null;
}

export interface EnergyMeasure {
  energy_j: number | null;
  avg_power_w: number | null;
  energy_source: EnergySource;
}

export interface PowerSources {
  gpu: EnergySource | null;
  cpu: EnergySource | null;
}

export const notMeasured: EnergyMeasure = { energy_j: null, avg_power_w: null, energy_source: "none" };

/** Readings further than this from the pass do not count for it. */
const nearMs = 1500;

export function measureEnergy(
  readings: readonly PowerReading[],
  fromT: number,
  toT: number,
  workload: Workload,
  sources: PowerSources,
): EnergyMeasure {
  const order: Array<"gpu" | "cpu"> = workload === "compute" ? ["cpu", "gpu"] : ["gpu", "cpu"];
  for (const kind of order) {
    const source = sources[kind];
    if (!source) continue;
    const pick = (r: PowerReading) => (kind === "gpu" ? r.gpu_w : r.cpu_w);
    const usable = readings.filter((r) => pick(r) !== null);
    let inside = usable.filter((r) => r.t >= fromT && r.t <= toT);
    if (inside.length === 0) inside = usable.filter((r) => r.t >= fromT - nearMs && r.t <= toT + nearMs);
    if (inside.length === 0) continue;
    const avg = inside.reduce((sum, r) => sum + (pick(r) ?? 0), 0) / inside.length;
    return {
      energy_j: round3((avg * Math.max(0, toT - fromT)) / 1000),
      avg_power_w: round3(avg),
      energy_source: source,
    };
  }
  return notMeasured;
}

/** The energy figures of a pass, with the workload's per-unit figure (J per token, image or billion numbers). */
export function withEnergy(metrics: Metrics, energy: EnergyMeasure, workload: Workload): Metrics {
  const perUnit = (count: unknown, scale = 1): number | null =>
    energy.energy_j !== null && typeof count === "number" && count > 0
      ? round3(energy.energy_j / (count / scale))
      : null;
  const extra: Metrics =
    workload === "llm"
      ? { j_per_token: perUnit(metrics.gen_tokens) }
      : workload === "image"
        ? { j_per_image: perUnit(metrics.images) }
        : {
            // a drag race counts to n once per pass
            j_per_billion: perUnit(
              typeof metrics.n === "number"
                ? metrics.n * (typeof metrics.passes === "number" ? metrics.passes : 1)
                : null,
              1e9,
            ),
          };
  return { ...metrics, ...energy, ...extra };
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
