/**
 * What an agent reports about its machine and the engines it can reach (DESIGN.md section 3).
 * A value the probes could not read is null, never a guess, and `unknown` says why.
 */
import { z } from "zod";
import { backendKindSchema } from "./enums.ts";

export const gpuSchema = z.object({
  name: z.string(),
  vendor: z.string(),
  /** bytes of dedicated video memory; null when unknown (Apple Silicon: null, see `unified_memory`) */
  vram_bytes: z.number().int().nonnegative().nullable(),
  unified_memory: z.boolean(),
  driver: z.string().nullable(),
  /** the vendor tool's device index (nvidia-smi, rocm-smi); matches `runtime-sample` gpus[].index */
  index: z.number().int().nonnegative().optional(),
  /** NVIDIA compute capability such as "9.0" */
  compute_capability: z.string().nullable().optional(),
  /** PCI bus id such as "00000000:00:06.0" */
  pci_bus: z.string().nullable().optional(),
  /** "cuda 13.0", "rocm 6.1.2", "metal 3" */
  runtime: z.string().nullable().optional(),
  /** the board's power limit, watts */
  power_limit_w: z.number().nullable().optional(),
});
export type Gpu = z.infer<typeof gpuSchema>;

export const hardwareSchema = z.object({
  cpu_model: z.string(),
  /** logical cores */
  cpu_cores: z.number().int().positive(),
  /** null when the probes could not tell (never set to the logical count) */
  cpu_physical_cores: z.number().int().positive().nullable(),
  memory_bytes: z.number().int().nonnegative(),
  os: z.string(),
  arch: z.string(),
  gpus: z.array(gpuSchema),
  /** MHz; null when unknown */
  cpu_base_mhz: z.number().nullable().optional(),
  /** MHz; null when unknown */
  cpu_max_mhz: z.number().nullable().optional(),
  kernel: z.string().nullable().optional(),
  /** field (such as `cpu_physical_cores` or `gpus`) -> why it is null or empty, from the probe that failed */
  unknown: z.record(z.string(), z.string()).optional(),
});
export type Hardware = z.infer<typeof hardwareSchema>;

export const modelInfoSchema = z.object({
  name: z.string(),
  size_bytes: z.number().int().nonnegative().nullable(),
  digest: z.string().nullable(),
});
export type ModelInfo = z.infer<typeof modelInfoSchema>;

export const backendProbeSchema = z.object({
  reachable: z.boolean(),
  version: z.string().nullable(),
  models: z.array(modelInfoSchema),
  /** why the backend is not reachable, in words a user can act on */
  error: z.string().optional(),
});
export type BackendProbe = z.infer<typeof backendProbeSchema>;

/** Each backend kind the agent can run, with what its probe found. */
export const backendsSchema = z.partialRecord(backendKindSchema, backendProbeSchema);
export type Backends = z.infer<typeof backendsSchema>;
