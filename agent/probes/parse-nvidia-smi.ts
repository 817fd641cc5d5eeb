/**
 * Parsers of nvidia-smi's machine-readable output: `--query-gpu=<fields> --format=csv,noheader,nounits`
 * (one line per GPU, "[N/A]" or "[Not Supported]" where a value is missing) and `--version`.
 */
import type { Gpu } from "../../coordinator/protocol/hardware.ts";
import type { GpuSample } from "../../coordinator/protocol/runtime-sample.ts";

/** The fields discovery asks for, in this order. */
export const nvidiaGpuFields = [
  "index",
  "name",
  "pci.bus_id",
  "driver_version",
  "memory.total",
  "power.limit",
  "compute_cap",
] as const;

/** The fields the sampler asks for every second, in this order. */
export const nvidiaSampleFields = ["index", "utilization.gpu", "memory.used", "power.draw", "temperature.gpu"] as const;

const mib = 1024 * 1024;

/** A cell, null where nvidia-smi says it has no value. */
const cell = (raw: string | undefined): string | null => {
  const value = raw?.trim() ?? "";
  return value === "" || /^\[.*\]$/.test(value) || value === "N/A" ? null : value;
};

const numberOf = (raw: string | undefined): number | null => {
  const value = cell(raw);
  if (value === null) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
};

/** The rows of a csv,noheader,nounits answer with exactly `width` cells; other lines are skipped. */
function rowsOf(csv: string, width: number): string[][] {
  return csv
    .split(/\r?\n/)
    .filter((line) => line.trim() !== "")
    .map((line) => line.split(","))
    .filter((cells) => cells.length === width);
}

/** GPUs from the answer to `--query-gpu=${nvidiaGpuFields}`; `cudaVersion` from `--version`. */
export function parseNvidiaGpus(csv: string, cudaVersion: string | null): Gpu[] {
  return rowsOf(csv, nvidiaGpuFields.length).flatMap(([index, name, bus, driver, memory, powerLimit, cap]) => {
    const i = numberOf(index);
    const gpuName = cell(name);
    if (i === null || gpuName === null) return [];
    const memoryMib = numberOf(memory);
    return [
      {
        index: i,
        name: gpuName,
        vendor: "nvidia",
        vram_bytes: memoryMib === null ? null : memoryMib * mib,
        unified_memory: false,
        driver: cell(driver),
        compute_capability: cell(cap),
        pci_bus: cell(bus),
        runtime: cudaVersion === null ? null : `cuda ${cudaVersion}`,
        power_limit_w: numberOf(powerLimit),
      },
    ];
  });
}

/** "CUDA Version        : 13.0" in `nvidia-smi --version`; null when absent. */
export function parseNvidiaCudaVersion(text: string): string | null {
  return /CUDA Version\s*:\s*([\d.]+)/i.exec(text)?.[1] ?? null;
}

/** Samples from lines of `--query-gpu=${nvidiaSampleFields}` (one line per GPU). */
export function parseNvidiaSamples(csv: string): GpuSample[] {
  return rowsOf(csv, nvidiaSampleFields.length).flatMap(([index, util, used, power, temp]) => {
    const i = numberOf(index);
    if (i === null) return [];
    const usedMib = numberOf(used);
    const utilPercent = numberOf(util);
    return [
      {
        index: i,
        util_percent: utilPercent === null ? null : Math.min(100, Math.max(0, utilPercent)),
        vram_used_bytes: usedMib === null ? null : usedMib * mib,
        power_w: numberOf(power),
        temp_c: numberOf(temp),
      },
    ];
  });
}
