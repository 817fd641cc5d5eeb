// Which machines lack which of the models every machine should have (the Settings page's model
// policy): per model and machine, present, missing (pullable: its Ollama answers), or no Ollama
// to pull into (not reachable, or the machine is offline or revoked).
import type { AgentView } from "../../../coordinator/protocol/api.ts";
import { normalizeModelName } from "../../../coordinator/protocol/preflight.ts";

export type Coverage = "present" | "missing" | "unreachable";

export function modelCoverage(agent: AgentView, model: string): Coverage {
  const ollama = agent.backends.ollama;
  const wanted = normalizeModelName("ollama", model);
  if (ollama?.models.some((known) => normalizeModelName("ollama", known.name) === wanted)) return "present";
  if (!ollama?.reachable || agent.status === "offline" || agent.revoked_at !== null) return "unreachable";
  return "missing";
}

/** Per model, the ids of the machines that lack it and can pull it. */
export function missingModels(agents: readonly AgentView[], models: readonly string[]): Map<string, string[]> {
  const missing = new Map<string, string[]>();
  for (const model of models) {
    const ids = agents.filter((agent) => modelCoverage(agent, model) === "missing").map((agent) => agent.id);
    if (ids.length > 0) missing.set(model, ids);
  }
  return missing;
}
