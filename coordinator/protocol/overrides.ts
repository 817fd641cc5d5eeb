/**
 * Operator overrides of what an agent's probes found (`GET/PUT /api/agents/:id/overrides`). An
 * override wins over discovery for fit calculations and is shown as an override, never merged
 * silently into the reported hardware. Bounds reject values no real machine has.
 */
import { z } from "zod";
import type { Hardware } from "./hardware.ts";

const mib = 1024 ** 2;
const tib = 1024 ** 4;

const bytesIn = (field: string, min: number, max: number) =>
  z
    .number({ error: `${field} must be a number of bytes` })
    .int({ error: `${field} must be a whole number of bytes` })
    .min(min, { error: `${field} below ${min / mib} MiB is not a real machine's; give bytes, not GiB` })
    .max(max, { error: `${field} above ${max / tib} TiB is not a real machine's; give bytes` })
    .nullable()
    .optional();

export const agentOverridesSchema = z.strictObject({
  /** shown instead of the agent's name */
  label: z.string().trim().max(100, { error: "label: at most 100 characters" }).nullable().optional(),
  notes: z.string().max(2000, { error: "notes: at most 2000 characters" }).nullable().optional(),
  /** system memory, bytes */
  memory_bytes: bytesIn("memory_bytes", 64 * mib, 64 * tib),
  cpu_physical_cores: z
    .number()
    .int({ error: "cpu_physical_cores must be a whole number" })
    .min(1, { error: "cpu_physical_cores must be at least 1" })
    .max(4096, { error: "cpu_physical_cores above 4096 is not a real machine's" })
    .nullable()
    .optional(),
  /** VRAM of each GPU, bytes (the machine's GPUs are taken to be alike) */
  gpu_vram_bytes: bytesIn("gpu_vram_bytes", 64 * mib, 4 * tib),
  /** true when the GPU shares system memory (Apple Silicon, DGX Spark) */
  gpu_unified_memory: z.boolean().nullable().optional(),
});
export type AgentOverrides = z.infer<typeof agentOverridesSchema>;

/** The hardware fit calculations use: discovery with the operator's overrides on top. */
export function applyOverrides(hardware: Hardware, overrides: AgentOverrides | null): Hardware {
  if (!overrides) return hardware;
  const { memory_bytes, cpu_physical_cores, gpu_vram_bytes, gpu_unified_memory } = overrides;
  const gpuOverride = (gpu_vram_bytes ?? null) !== null || (gpu_unified_memory ?? null) !== null;
  const gpus =
    gpuOverride && hardware.gpus.length === 0
      ? [{ name: "GPU (operator override)", vendor: "unknown", vram_bytes: null, unified_memory: false, driver: null }]
      : hardware.gpus;
  return {
    ...hardware,
    memory_bytes: memory_bytes ?? hardware.memory_bytes,
    cpu_physical_cores: cpu_physical_cores ?? hardware.cpu_physical_cores,
    gpus: gpus.map((gpu) => ({
      ...gpu,
      vram_bytes: gpu_vram_bytes ?? gpu.vram_bytes,
      unified_memory: gpu_unified_memory ?? gpu.unified_memory,
    })),
  };
}
