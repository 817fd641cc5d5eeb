/**
 * The agent's runtime sampler: every second it reads CPU %, memory used, each GPU's utilisation,
 * VRAM, power and temperature, and the CPU package power, keeps the reading in a ring buffer and
 * hands it to listeners (the connection sends it as one `runtime-sample`). The runner asks it for
 * the energy of each pass. Sources are injected so tests and the benchmark drive it without hardware.
 */
import type { EnergySource, Workload } from "../../coordinator/protocol/enums.ts";
import type { GpuSample, RuntimeSample } from "../../coordinator/protocol/runtime-sample.ts";
import { createRingBuffer } from "./create-ring-buffer.ts";
import { type EnergyMeasure, measureEnergy, type PowerReading } from "./energy-metrics.ts";
import { type CpuTicks, cpuPercentBetween } from "./read-cpu-usage.ts";

export interface SamplerSources {
  cpuTicks(): CpuTicks;
  /** bytes in use (total minus available); null when unknown */
  memoryUsed(): number | null;
  gpus(nowMs: number): GpuSample[];
  /** CPU package watts since the previous call; null when not measured */
  cpuPowerW(nowMs: number): number | null;
  /** which tool the GPU and CPU watts come from; null where there is none */
  power: { gpu: EnergySource | null; cpu: EnergySource | null };
  stop(): void;
}

export interface SamplerOptions {
  sources: SamplerSources;
  /** monotonic ms */
  now: () => number;
  /** the agent's clock is `clockOrigin + now()` */
  clockOrigin: number;
  intervalMs?: number;
  /** readings kept; default 600 (10 minutes) */
  capacity?: number;
}

export interface Sampler {
  /** called with each new sample; returns a function that stops the calls */
  onSample(listener: (sample: RuntimeSample) => void): () => void;
  /** the energy between two instants of `now()` */
  energy(fromT: number, toT: number, workload: Workload): EnergyMeasure;
  /** takes one reading now (the timer calls it every interval) */
  tick(): RuntimeSample;
  /** the kept samples, oldest first */
  samples(): RuntimeSample[];
  stop(): void;
}

export function createSampler(options: SamplerOptions): Sampler {
  const { sources, now, clockOrigin } = options;
  const capacity = options.capacity ?? 600;
  const kept = createRingBuffer<{ sample: RuntimeSample; power: PowerReading }>(capacity);
  const listeners = new Set<(sample: RuntimeSample) => void>();
  let lastTicks = sources.cpuTicks();

  function tick(): RuntimeSample {
    const t = now();
    const ticks = sources.cpuTicks();
    const gpus = sources.gpus(t);
    const cpuPower = sources.cpuPowerW(t);
    const sample: RuntimeSample = {
      at: Math.round(clockOrigin + t),
      cpu_percent: round1(cpuPercentBetween(lastTicks, ticks)),
      memory_used_bytes: sources.memoryUsed(),
      cpu_power_w: round1(cpuPower),
      gpus,
    };
    lastTicks = ticks;
    const gpuPowers = gpus.map((gpu) => gpu.power_w);
    const gpuW =
      gpuPowers.length > 0 && gpuPowers.every((w) => w !== null)
        ? gpuPowers.reduce((a, w) => (a ?? 0) + (w ?? 0), 0)
        : null;
    kept.push({ sample, power: { t, gpu_w: gpuW, cpu_w: cpuPower } });
    for (const listener of listeners) listener(sample);
    return sample;
  }

  const timer = setInterval(tick, options.intervalMs ?? 1000);
  timer.unref();

  return {
    onSample(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    energy: (fromT, toT, workload) =>
      measureEnergy(
        kept.items().map((entry) => entry.power),
        fromT,
        toT,
        workload,
        sources.power,
      ),
    tick,
    samples: () => kept.items().map((entry) => entry.sample),
    stop() {
      clearInterval(timer);
      listeners.clear();
      sources.stop();
    },
  };
}

const round1 = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
