// The new-race form's compute presets: the original project's three (segmented sieve to
// 50,000,000, simple sieve to 20,000,000, trial division to 2,000,000) and "about 10 s on these
// machines", which sizes n so the slowest picked machine takes about ten seconds, from its last
// measured sieve rate where there is one, else from its core count.
import type { AgentView } from "../../../coordinator/protocol/api.ts";
import { type ComputeAlgorithm, computeMaxN } from "../../../coordinator/protocol/compute.ts";
import type { ApiClient } from "./api-client.ts";

export interface ComputePreset {
  id: string;
  label: string;
  algorithm: ComputeAlgorithm;
  /** null: sized from the machines (see sizeForSeconds) */
  n: number | null;
}

export const computePresetChoices: readonly ComputePreset[] = [
  { id: "segmented", label: "segmented sieve · 50,000,000", algorithm: "segmented_sieve", n: 50_000_000 },
  { id: "simple", label: "simple sieve · 20,000,000", algorithm: "simple_sieve", n: 20_000_000 },
  { id: "trial", label: "trial division · 2,000,000", algorithm: "trial_division", n: 2_000_000 },
  { id: "ten_seconds", label: "about 10 s on these machines", algorithm: "segmented_sieve", n: null },
];

/** A guess of the segmented sieve's speed per logical core when a machine has no measured rate, numbers/s. */
export const guessedNumbersPerSecPerCore = 2e9;

/** 1, 2 or 5 times a power of ten, at most `value`: 37,400,000 -> 20,000,000. */
export function roundDownNicely(value: number): number {
  if (value < 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const steps = [5, 2, 1];
  return (steps.find((step) => step * power <= value) ?? 1) * power;
}

/**
 * n for the segmented sieve so the slowest machine takes about `seconds`: the lowest of each
 * machine's measured numbers/s (or the core-count guess) times the seconds, rounded down nicely.
 */
export function sizeForSeconds(
  agents: readonly Pick<AgentView, "id" | "hardware">[],
  measured: ReadonlyMap<string, number>,
  seconds: number,
): number {
  const rates = agents.map(
    (agent) => measured.get(agent.id) ?? guessedNumbersPerSecPerCore * Math.max(1, agent.hardware.cpu_cores),
  );
  if (rates.length === 0) return 50_000_000;
  const n = roundDownNicely(Math.min(...rates) * seconds);
  return Math.min(Math.max(n, 1_000_000), computeMaxN.segmented_sieve);
}

/** The machine's numbers/s in its latest finished segmented-sieve race, or null when it has none. */
export async function lastSieveRate(
  client: Pick<ApiClient, "listRuns" | "getRun">,
  agentId: string,
): Promise<number | null> {
  const { runs } = await client.listRuns({ workload: "compute", status: "done", agent: agentId, limit: 10 });
  const sieved = runs.find((run) => run.params.algorithm === "segmented_sieve" && run.params.preset === undefined);
  if (!sieved) return null;
  const run = await client.getRun(sieved.id);
  const lane = run.lanes.find((candidate) => candidate.agent_id === agentId && candidate.status === "done");
  const median = lane?.summary?.numbers_per_sec?.median;
  return typeof median === "number" && median > 0 ? median : null;
}
