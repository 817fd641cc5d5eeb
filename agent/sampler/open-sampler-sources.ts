/**
 * The real sources of the sampler on this machine, chosen from the hardware discovery found:
 * nvidia-smi's long-lived sampler for NVIDIA GPUs, amdgpu sysfs for AMD, RAPL for the CPU package
 * on Linux, `powermetrics` on macOS only when the operator enables it (it needs root). A source
 * that cannot open is logged with its reason and its figures stay null.
 */
import os from "node:os";
import type { Hardware } from "../../coordinator/protocol/hardware.ts";
import type { Logger } from "../../coordinator/protocol/logger.ts";
import { openRapl } from "./create-rapl-reader.ts";
import type { SamplerSources } from "./create-sampler.ts";
import { findAmdCards, readAmdCard } from "./read-amdgpu-sysfs.ts";
import { readCpuTicks } from "./read-cpu-usage.ts";
import { startNvidiaSampler } from "./start-nvidia-sampler.ts";
import { startPowermetrics } from "./start-powermetrics.ts";

export interface SamplerSourceOptions {
  /** start `powermetrics` for Apple CPU/GPU power (needs root; off unless the operator asks) */
  powermetrics?: boolean;
}

export function openSamplerSources(
  hardware: Hardware,
  log: Logger,
  now: () => number,
  options: SamplerSourceOptions = {},
): SamplerSources {
  const nvidia = hardware.gpus.some((gpu) => gpu.vendor === "nvidia") ? startNvidiaSampler(log, now) : null;
  const amdCards = hardware.gpus.some((gpu) => gpu.vendor === "amd") ? findAmdCards() : [];
  const rapl = process.platform === "linux" ? openRapl() : null;
  if (rapl && !rapl.ok) log.info("CPU energy not measured", { reason: rapl.reason });
  const powermetrics = process.platform === "darwin" && options.powermetrics ? startPowermetrics(log, now) : null;
  const apple = hardware.gpus.some((gpu) => gpu.vendor === "apple");
  return {
    cpuTicks: () => readCpuTicks(),
    memoryUsed: () => os.totalmem() - os.freemem(),
    gpus(nowMs) {
      if (nvidia) return nvidia.latest(nowMs);
      if (amdCards.length > 0) return amdCards.map(readAmdCard);
      const gpuW = powermetrics?.latest(nowMs)?.gpu_w;
      return apple && gpuW !== undefined && gpuW !== null
        ? [{ index: 0, util_percent: null, vram_used_bytes: null, power_w: gpuW, temp_c: null }]
        : [];
    },
    cpuPowerW(nowMs) {
      if (rapl?.ok) return rapl.reader.read(nowMs);
      return powermetrics?.latest(nowMs)?.cpu_w ?? null;
    },
    power: {
      gpu: nvidia ? "nvidia-smi" : amdCards.length > 0 ? "rocm-smi" : powermetrics && apple ? "powermetrics" : null,
      cpu: rapl?.ok ? "rapl" : powermetrics ? "powermetrics" : null,
    },
    stop() {
      nvidia?.stop();
      powermetrics?.stop();
    },
  };
}
