/** What an agent reports about its machine and the engines it can reach (DESIGN.md section 3). */
import { z } from "zod";
import { backendKindSchema } from "./enums.ts";

export const gpuSchema = z.object({
  name: z.string(),
  vendor: z.string(),
  /** bytes of dedicated video memory; 0 when unknown */
  vram_bytes: z.number().int().nonnegative(),
  unified_memory: z.boolean(),
  driver: z.string().nullable(),
});
export type Gpu = z.infer<typeof gpuSchema>;

export const hardwareSchema = z.object({
  cpu_model: z.string(),
  /** logical cores */
  cpu_cores: z.number().int().positive(),
  cpu_physical_cores: z.number().int().positive(),
  memory_bytes: z.number().int().nonnegative(),
  os: z.string(),
  arch: z.string(),
  gpus: z.array(gpuSchema),
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
