/**
 * Preflight of an LLM lane from what its agent last reported: engine reachable, model present
 * (Ollama's `llama3` is `llama3:latest`), and whether the model fits the machine's memory with
 * its context. Pure, so the API refuses and the new-race form warns with the same words.
 */
import type { AgentView } from "./api.ts";
import type { BackendKind } from "./enums.ts";
import type { Hardware, ModelInfo } from "./hardware.ts";
import { applyOverrides } from "./overrides.ts";

export type FitLabel = "good" | "risk" | "fail";

export interface ModelFit {
  /** null when the model's size or the machine's memory is unknown */
  label: FitLabel | null;
  /** bytes the model and its context need, estimated */
  need_bytes: number | null;
  /** bytes of the memory the model would run in */
  have_bytes: number | null;
  memory: "vram" | "unified" | "system";
  reason: string;
}

export interface LanePreflight {
  /** false when the lane cannot run: the race skips it unless the user insists */
  ready: boolean;
  problems: string[];
  warnings: string[];
  model: ModelInfo | null;
  fit: ModelFit;
}

/** Ollama names without a tag mean `:latest`; other engines take names as they are. */
export function normalizeModelName(backend: BackendKind, name: string): string {
  return backend === "ollama" && !name.includes(":") ? `${name}:latest` : name;
}

/** Bytes of KV cache and compute buffers per context token, a conservative figure for 7-8B models. */
const contextBytesPerToken = 128 * 1024;
/** Runtime overhead on top of the weights (compute buffers, CUDA context). */
const overheadFactor = 1.1;
const fixedOverheadBytes = 512 * 1024 ** 2;

/** Where the model runs: the largest GPU's VRAM, unified memory, else system memory. */
function memoryOf(hardware: Hardware): { memory: ModelFit["memory"]; bytes: number | null } {
  const unified = hardware.gpus.find((gpu) => gpu.unified_memory);
  if (unified) return { memory: "unified", bytes: hardware.memory_bytes || null };
  const vram = Math.max(0, ...hardware.gpus.map((gpu) => gpu.vram_bytes ?? 0));
  if (vram > 0) return { memory: "vram", bytes: vram };
  return { memory: "system", bytes: hardware.memory_bytes || null };
}

export function estimateModelFit(sizeBytes: number | null, numCtx: number, hardware: Hardware): ModelFit {
  const { memory, bytes } = memoryOf(hardware);
  if (sizeBytes === null || sizeBytes <= 0)
    return { label: null, need_bytes: null, have_bytes: bytes, memory, reason: "model size unknown" };
  const need = Math.round(sizeBytes * overheadFactor + fixedOverheadBytes + numCtx * contextBytesPerToken);
  if (bytes === null) return { label: null, need_bytes: need, have_bytes: null, memory, reason: "memory unknown" };
  // unified memory is shared with the OS: count three quarters of it as usable
  const usable = memory === "unified" ? bytes * 0.75 : bytes;
  const gib = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GiB`;
  const label: FitLabel = need <= usable * 0.85 ? "good" : need <= usable ? "risk" : "fail";
  return {
    label,
    need_bytes: need,
    have_bytes: bytes,
    memory,
    reason: `needs about ${gib(need)} of ${gib(usable)} ${memory === "system" ? "system memory" : memory === "vram" ? "VRAM" : "unified memory"}`,
  };
}

export function preflightLane(
  agent: AgentView,
  lane: { backend: BackendKind; model: string | null },
  params: { num_ctx?: number },
): LanePreflight {
  const problems: string[] = [];
  const warnings: string[] = [];
  const probe = agent.backends[lane.backend];
  // the operator's overrides win over discovery (memory, VRAM, unified memory)
  const hardware = applyOverrides(agent.hardware, agent.overrides ?? null);
  const noFit = estimateModelFit(null, params.num_ctx ?? 4096, hardware);
  if (agent.status === "offline") problems.push(`${agent.name} is offline: start its agent.`);
  if (!probe) {
    problems.push(`${agent.name} has no ${lane.backend} backend; start its agent with the option for it.`);
    return { ready: false, problems, warnings, model: null, fit: noFit };
  }
  if (!probe.reachable) {
    problems.push(`${lane.backend} on ${agent.name} is not reachable${probe.error ? `: ${probe.error}` : "."}`);
    return { ready: false, problems, warnings, model: null, fit: noFit };
  }
  if (lane.backend === "mock" || lane.model === null) {
    return { ready: problems.length === 0, problems, warnings, model: null, fit: noFit };
  }
  const wanted = normalizeModelName(lane.backend, lane.model);
  const model = probe.models.find((m) => normalizeModelName(lane.backend, m.name) === wanted) ?? null;
  if (!model) {
    const have = probe.models.map((m) => m.name).join(", ") || "none";
    problems.push(`${agent.name} has no model ${lane.model} on ${lane.backend} (it has: ${have}).`);
    return { ready: false, problems, warnings, model: null, fit: noFit };
  }
  const fit = estimateModelFit(model.size_bytes, params.num_ctx ?? 4096, hardware);
  if (agent.overrides && hardware !== agent.hardware) fit.reason += " (operator override)";
  if (fit.label === "fail") warnings.push(`${model.name} may not fit on ${agent.name}: ${fit.reason}.`);
  return { ready: problems.length === 0, problems, warnings, model, fit };
}

/** Lanes whose model digests differ from the first known digest of the same model name, by lane index. */
export function digestMismatches(lanes: readonly { model: ModelInfo | null }[]): number[] {
  const first = new Map<string, string>();
  const mismatched: number[] = [];
  lanes.forEach((lane, index) => {
    const m = lane.model;
    if (!m?.digest) return;
    const seen = first.get(m.name);
    if (seen === undefined) first.set(m.name, m.digest);
    else if (seen !== m.digest) mismatched.push(index);
  });
  return mismatched;
}
