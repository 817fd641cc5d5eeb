/**
 * The closed vocabularies of bench-race. Each `as const` list feeds both `z.enum(...)` here
 * and drizzle's `text({ enum })` in db/schema.ts, so there is one definition of each.
 */
import { z } from "zod";

/** What a race runs. */
export const workloads = ["compute", "llm", "image"] as const;
export const workloadSchema = z.enum(workloads);
export type Workload = z.infer<typeof workloadSchema>;

/** The engines an agent can drive. `mock` is a stand-in whose results are never ranked. */
export const backendKinds = ["compute", "ollama", "openai", "llamacpp", "comfyui", "mock"] as const;
export const backendKindSchema = z.enum(backendKinds);
export type BackendKind = z.infer<typeof backendKindSchema>;

/** Which workload each backend serves. */
export const workloadOfBackend: Record<BackendKind, Workload> = {
  compute: "compute",
  ollama: "llm",
  openai: "llm",
  llamacpp: "llm",
  comfyui: "image",
  mock: "llm",
};

export const runStatuses = ["pending", "running", "done", "failed", "cancelled", "interrupted"] as const;
export const runStatusSchema = z.enum(runStatuses);
export type RunStatus = z.infer<typeof runStatusSchema>;

export const laneStatuses = ["pending", "running", "done", "failed", "cancelled", "lost"] as const;
export const laneStatusSchema = z.enum(laneStatuses);
export type LaneStatus = z.infer<typeof laneStatusSchema>;

export const agentStatuses = ["online", "offline", "busy"] as const;
export const agentStatusSchema = z.enum(agentStatuses);
export type AgentStatus = z.infer<typeof agentStatusSchema>;

/** Lane statuses after which a lane sends nothing more. */
export const terminalLaneStatuses: readonly LaneStatus[] = ["done", "failed", "cancelled", "lost"];
/** Run statuses after which a run changes no more. */
export const terminalRunStatuses: readonly RunStatus[] = ["done", "failed", "cancelled", "interrupted"];

/** Where a result's `energy_j` came from; `none`: not measured (energy_j and avg_power_w are null). */
export const energySources = ["nvidia-smi", "rocm-smi", "rapl", "powermetrics", "none"] as const;
export const energySourceSchema = z.enum(energySources);
export type EnergySource = z.infer<typeof energySourceSchema>;
