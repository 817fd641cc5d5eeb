import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createRingBuffer } from "../../../agent/sampler/create-ring-buffer.ts";
import { createSampler, type SamplerSources } from "../../../agent/sampler/create-sampler.ts";
import { measureEnergy, type PowerReading, withEnergy } from "../../../agent/sampler/energy-metrics.ts";
import type { RuntimeSample } from "../../../coordinator/protocol/runtime-sample.ts";

const underLoad: RuntimeSample[] = readFileSync(
  new URL("../../fixtures/hardware/nvidia-h200/sampler-under-load.ndjson", import.meta.url),
  "utf8",
)
  .trim()
  .split("\n")
  .map((line) => JSON.parse(line));

const readingsOf = (samples: RuntimeSample[]): PowerReading[] =>
  samples.map((s) => ({ t: s.at, gpu_w: s.gpus[0]?.power_w ?? null, cpu_w: s.cpu_power_w ?? null }));

describe("measureEnergy", () => {
  it("integrates the H200's recorded power over a pass: mean watts times seconds", () => {
    const readings = readingsOf(underLoad);
    const from = underLoad[0]?.at ?? 0;
    const to = from + 5000;
    const inside = readings.filter((r) => r.t >= from && r.t <= to).map((r) => r.gpu_w ?? 0);
    const mean = inside.reduce((a, b) => a + b, 0) / inside.length;
    const measured = measureEnergy(readings, from, to, "llm", { gpu: "nvidia-smi", cpu: null });
    expect(measured.energy_source).toBe("nvidia-smi");
    expect(measured.avg_power_w).toBeCloseTo(mean, 2);
    expect(measured.energy_j).toBeCloseTo(mean * 5, 1);
    expect(measured.avg_power_w).toBeGreaterThan(400);
  });

  it("uses the readings next to a pass shorter than the sampling interval", () => {
    const readings: PowerReading[] = [
      { t: 1000, gpu_w: 300, cpu_w: null },
      { t: 2000, gpu_w: 500, cpu_w: null },
    ];
    expect(measureEnergy(readings, 1200, 1700, "llm", { gpu: "nvidia-smi", cpu: null })).toEqual({
      energy_j: 200,
      avg_power_w: 400,
      energy_source: "nvidia-smi",
    });
  });

  it("is not measured (null, none) without a source or without readings near the pass", () => {
    const readings: PowerReading[] = [{ t: 1000, gpu_w: 300, cpu_w: null }];
    const none = { energy_j: null, avg_power_w: null, energy_source: "none" };
    expect(measureEnergy(readings, 1000, 2000, "llm", { gpu: null, cpu: null })).toEqual(none);
    expect(measureEnergy(readings, 10_000, 12_000, "llm", { gpu: "nvidia-smi", cpu: null })).toEqual(none);
  });

  it("takes the CPU package for compute and the GPUs for llm when both exist", () => {
    const readings: PowerReading[] = [{ t: 1000, gpu_w: 300, cpu_w: 90 }];
    const sources = { gpu: "nvidia-smi", cpu: "rapl" } as const;
    expect(measureEnergy(readings, 1000, 2000, "compute", sources)).toMatchObject({
      avg_power_w: 90,
      energy_source: "rapl",
    });
    expect(measureEnergy(readings, 1000, 2000, "image", sources)).toMatchObject({
      avg_power_w: 300,
      energy_source: "nvidia-smi",
    });
  });
});

describe("withEnergy", () => {
  const energy = { energy_j: 100, avg_power_w: 50, energy_source: "nvidia-smi" } as const;

  it("adds J per token, per image and per billion numbers", () => {
    expect(withEnergy({ gen_tokens: 400 }, energy, "llm")).toMatchObject({ energy_j: 100, j_per_token: 0.25 });
    expect(withEnergy({ images: 4 }, energy, "image")).toMatchObject({ j_per_image: 25 });
    expect(withEnergy({ n: 2e9 }, energy, "compute")).toMatchObject({ j_per_billion: 50 });
    expect(withEnergy({ n: 1e6, passes: 500 }, energy, "compute")).toMatchObject({ j_per_billion: 200 });
  });

  it("leaves the per-unit figure null when energy was not measured", () => {
    const none = { energy_j: null, avg_power_w: null, energy_source: "none" } as const;
    expect(withEnergy({ gen_tokens: 400 }, none, "llm")).toEqual({
      gen_tokens: 400,
      energy_j: null,
      avg_power_w: null,
      energy_source: "none",
      j_per_token: null,
    });
  });
});

describe("createSampler", () => {
  it("reads CPU %, memory and GPU figures into one sample and hands it to listeners", () => {
    let t = 0;
    let busy = 0;
    let total = 0;
    const sources: SamplerSources = {
      cpuTicks: () => ({ busy, total }),
      memoryUsed: () => 123,
      gpus: () => [{ index: 0, util_percent: 100, vram_used_bytes: 5, power_w: 420, temp_c: 50 }],
      cpuPowerW: () => null,
      power: { gpu: "nvidia-smi", cpu: null },
      stop() {},
    };
    const sampler = createSampler({ sources, now: () => t, clockOrigin: 1_000_000, intervalMs: 60_000 });
    const seen: RuntimeSample[] = [];
    sampler.onSample((sample) => seen.push(sample));
    t = 1000;
    busy = 250;
    total = 1000;
    sampler.tick();
    t = 2000;
    sampler.tick();
    sampler.stop();
    expect(seen).toHaveLength(2);
    expect(seen[0]).toEqual({
      at: 1_001_000,
      cpu_percent: 25,
      memory_used_bytes: 123,
      cpu_power_w: null,
      gpus: [{ index: 0, util_percent: 100, vram_used_bytes: 5, power_w: 420, temp_c: 50 }],
    });
    expect(seen[1]?.cpu_percent).toBeNull();
    expect(sampler.energy(1000, 2000, "llm")).toEqual({ energy_j: 420, avg_power_w: 420, energy_source: "nvidia-smi" });
  });

  it("keeps only the newest readings in its ring buffer", () => {
    const ring = createRingBuffer<number>(3);
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect(ring.items()).toEqual([3, 4, 5]);
    expect(ring.size).toBe(3);
  });
});
