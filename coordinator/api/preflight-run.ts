/**
 * Preflight of a new race's lanes from what each agent last reported: lanes whose engine is
 * unreachable or lacks the model are skipped (unless the race is forced) and said why; model
 * digests that differ across machines and models that may not fit are warned about.
 */
import type { AgentView, CreateRun } from "../protocol/api.ts";
import type { BackendKind } from "../protocol/enums.ts";
import { digestMismatches, type LanePreflight, preflightLane } from "../protocol/preflight.ts";
import { ApiError } from "./api-error.ts";

export interface RunPreflight {
  /** lanes left out of the race, by their index in the request, with why */
  skipped: { index: number; agent: string; problems: string[] }[];
  warnings: string[];
}

interface PlannedLaneRef {
  backend: BackendKind;
  model: string | null;
  params: Record<string, unknown>;
}

export function preflightRun(
  body: CreateRun,
  planned: readonly PlannedLaneRef[],
  agents: readonly AgentView[],
): { report: RunPreflight; skippedIndexes: ReadonlySet<number> } {
  const report: RunPreflight = { skipped: [], warnings: [] };
  if (body.workload === "compute") return { report, skippedIndexes: new Set() };
  const checks: LanePreflight[] = planned.map((lane, i) => {
    const agent = agents[i] as AgentView;
    const numCtx = typeof lane.params.num_ctx === "number" ? lane.params.num_ctx : undefined;
    return preflightLane(agent, lane, { num_ctx: numCtx });
  });
  const skippedIndexes = new Set<number>();
  checks.forEach((check, index) => {
    report.warnings.push(...check.warnings);
    if (check.ready) return;
    if (body.force) report.warnings.push(...check.problems.map((p) => `${p} (raced anyway: force)`));
    else {
      skippedIndexes.add(index);
      report.skipped.push({ index, agent: (agents[index] as AgentView).name, problems: check.problems });
    }
  });
  for (const index of digestMismatches(checks)) {
    const model = checks[index]?.model;
    report.warnings.push(
      `${agents[index]?.name} has a different build of ${model?.name} (digest ${model?.digest?.slice(0, 12)}) than the first lane with it: the lanes do not run the same weights.`,
    );
  }
  if (skippedIndexes.size === planned.length) {
    const why = report.skipped.map((s) => s.problems.join(" ")).join(" ");
    throw new ApiError(
      409,
      "no_lane_ready",
      `No lane of this race can run: ${why} Fix that, or send "force": true to race anyway.`,
    );
  }
  return { report, skippedIndexes };
}
