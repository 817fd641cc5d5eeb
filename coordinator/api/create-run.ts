/**
 * `POST /api/runs`: validates the race, resolves its machines, stores it, opens its race room and
 * asks the lab room to send each agent in. A room that cannot be reached fails the run at once.
 */
import { randomBytes } from "node:crypto";
import { listAgents, resolveAgents } from "../../db/agents.ts";
import { getRunView } from "../../db/run-views.ts";
import { insertRun, liveRunsOfAgent, markRunFailed } from "../../db/runs.ts";
import {
  type AgentView,
  type CreateRun,
  createRunSchema,
  defaultLabId,
  type LaneRequest,
  type RunView,
} from "../protocol/api.ts";
import { type BackendKind, type Workload, workloadOfBackend } from "../protocol/enums.ts";
import type { LaneSetup, RaceSetup, RunInfo } from "../protocol/race-state.ts";
import type { ApiDeps } from "./api-deps.ts";
import { ApiError } from "./api-error.ts";
import { parseLaneParams, parseRunParams, workloadParamsSchemas } from "./parse-lane-params.ts";
import { formatIssuePath, parseOrThrow } from "./parse-or-throw.ts";
import { preflightRun, type RunPreflight } from "./preflight-run.ts";

const defaultBackend: Partial<Record<Workload, BackendKind>> = { compute: "compute", image: "comfyui" };

/** 128 random bits, url-safe: a share link nobody can guess. */
export const createRunId = (): string => randomBytes(16).toString("base64url");

interface PlannedLane {
  request: LaneRequest;
  /** where the agent was named in the body, e.g. `agents[0]` or `lanes[2].agent` */
  agentPath: string;
  backend: BackendKind;
  model: string | null;
  params: Record<string, unknown>;
}

function resolveLaneAgents(deps: ApiDeps, planned: readonly PlannedLane[]): AgentView[] {
  const resolved = resolveAgents(
    deps.db,
    planned.map((lane) => lane.request.agent),
  );
  const agents: AgentView[] = [];
  const unknown: string[] = [];
  resolved.forEach(({ ref, agent }, i) => {
    if (agent) agents.push(agent);
    else unknown.push(`${planned[i]?.agentPath}: no agent has the id or name "${ref}"`);
  });
  if (unknown.length > 0) {
    const names = listAgents(deps.db).map((agent) => agent.name);
    const known =
      names.length > 0
        ? `Known agents: ${names.join(", ")}.`
        : "No agent has connected yet: start one with `npm run agent -- --coordinator <url> --token <token>`.";
    throw new ApiError(400, "unknown_agent", `${unknown.join("; ")}. ${known}`);
  }
  const offline = agents.find((agent) => agent.status === "offline");
  if (offline) {
    throw new ApiError(
      409,
      "agent_offline",
      `Agent "${offline.name}" is offline: start its agent (\`npm run agent\` on that machine) and try again.`,
    );
  }
  return agents;
}

function planLanes(body: CreateRun): PlannedLane[] {
  const requests: { request: LaneRequest; laneIndex: number | null; agentPath: string }[] = body.lanes
    ? body.lanes.map((request, i) => ({ request, laneIndex: i, agentPath: `lanes[${i}].agent` }))
    : (body.agents ?? []).map((agent, i) => ({ request: { agent }, laneIndex: null, agentPath: `agents[${i}]` }));
  return requests.map(({ request, laneIndex, agentPath }) => {
    const backend = request.backend ?? body.backend ?? defaultBackend[body.workload];
    const backendPath = request.backend ? formatIssuePath(["lanes", laneIndex ?? 0, "backend"]) : "backend";
    if (!backend) throw new ApiError(400, "bad_request", `${backendPath}: choose the backend that runs this lane`);
    if (workloadOfBackend[backend] !== body.workload) {
      throw new ApiError(
        400,
        "bad_request",
        `${backendPath}: the ${backend} backend runs ${workloadOfBackend[backend]} races, not ${body.workload}`,
      );
    }
    const model = body.workload === "compute" ? null : (request.model ?? body.model ?? null);
    if (model === null && body.workload !== "compute" && backend !== "mock") {
      const modelPath = laneIndex === null ? "model" : formatIssuePath(["lanes", laneIndex, "model"]);
      throw new ApiError(400, "bad_request", `${modelPath}: choose the model this lane runs on ${backend}`);
    }
    const params = parseLaneParams(body.workload, body.params, request.params, laneIndex);
    return { request, agentPath, backend, model, params };
  });
}

export interface CreatedRun {
  run: RunView;
  preflight: RunPreflight;
}

/** Races one machine may have waiting or running at once (they run one after another). */
export const maxLiveRunsPerAgent = 16;

/** Races the operator may start: a burst of 30, then one every 2 s. */
export const runStartRate = { capacity: 30, perSecond: 0.5 } as const;

/** `allowStart`: takes one of the operator's race starts (runStartRate), false when none is left */
export async function createRun(deps: ApiDeps, input: unknown, allowStart: () => boolean): Promise<CreatedRun> {
  const body = parseOrThrow(createRunSchema, input);
  if (!workloadParamsSchemas[body.workload]) {
    const built = Object.keys(workloadParamsSchemas).join(" and ");
    throw new ApiError(
      400,
      "unsupported_workload",
      `The ${body.workload} workload is not built yet: only ${built} races can be started for now.`,
    );
  }
  const ghostRunId = ghostOf(deps, body);
  const allPlanned = planLanes(body);
  const allAgents = resolveLaneAgents(deps, allPlanned);
  const preflight = preflightRun(body, allPlanned, allAgents);
  const planned = allPlanned.filter((_, i) => !preflight.skippedIndexes.has(i));
  const agents = allAgents.filter((_, i) => !preflight.skippedIndexes.has(i));
  for (const agent of new Map(agents.map((a) => [a.id, a])).values()) {
    if (liveRunsOfAgent(deps.db, agent.id).length >= maxLiveRunsPerAgent) {
      throw new ApiError(
        409,
        "agent_busy",
        `${agent.name} already has ${maxLiveRunsPerAgent} races waiting or running; let them finish or cancel one, then start this one.`,
      );
    }
  }
  if (!allowStart()) {
    throw new ApiError(
      429,
      "rate_limited",
      `At most ${runStartRate.capacity} races can be started in a burst, then one every ${1 / runStartRate.perSecond} s; wait a little and try again.`,
    );
  }
  const now = (deps.now ?? Date.now)();
  const run: RunInfo = {
    id: createRunId(),
    workload: body.workload,
    params: parseRunParams(body.workload, body.params),
    repeats: body.repeats,
    warmup: body.warmup,
    created_at: now,
    deadline_s: body.deadline_s,
  };
  const lanes: LaneSetup[] = planned.map((lane, index) => {
    const agent = agents[index];
    if (!agent) throw new Error(`lane ${index} has no resolved agent`);
    return {
      lane_id: `l${index}`,
      index,
      agent_id: agent.id,
      agent_name: agent.name,
      backend: lane.backend,
      model: lane.model,
      params: lane.params,
    };
  });
  insertRun(deps.db, { run, lanes, ghostRunId, name: body.name || null });
  const setup: RaceSetup = { type: "race-setup", run, lanes };
  try {
    await deps.rooms.post("race", run.id, { type: "race-open", setup });
    const agentIds = [...new Set(lanes.map((lane) => lane.agent_id))];
    await deps.rooms.post("lab", defaultLabId, { type: "lab-dispatch", run_id: run.id, agent_ids: agentIds });
  } catch (error) {
    // the race room may be open already: close it, or it would race and overwrite this failure
    await deps.rooms.post("race", run.id, { type: "race-cancel" }).catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    const message = `The race rooms refused or could not be reached (${reason}), so run ${run.id} failed before it started; check the coordinator's log and try again.`;
    markRunFailed(deps.db, run.id, { code: "rooms_unavailable", message }, (deps.now ?? Date.now)());
    throw error instanceof ApiError
      ? new ApiError(502, error.code, message)
      : new ApiError(503, "rooms_unavailable", message);
  }
  const view = getRunView(deps.db, run.id, deps.publicUrl);
  if (!view) throw new Error(`run ${run.id} vanished right after it was stored`);
  return { run: view, preflight: preflight.report };
}

/** The ghost run a new race asks for, checked: it exists, finished with results, and ran the same workload. */
function ghostOf(deps: ApiDeps, body: CreateRun): string | null {
  if (body.ghost_run_id === undefined) return null;
  const ghost = getRunView(deps.db, body.ghost_run_id, deps.publicUrl);
  if (!ghost) {
    throw new ApiError(
      404,
      "ghost_not_found",
      `There is no run ${body.ghost_run_id} to race against; pick one from the runs list.`,
    );
  }
  if (ghost.workload !== body.workload) {
    throw new ApiError(
      400,
      "invalid_ghost",
      `Run ${ghost.id} is a ${ghost.workload} race; a ${body.workload} race can only race a ${body.workload} ghost.`,
    );
  }
  if (!ghost.lanes.some((lane) => lane.status === "done")) {
    throw new ApiError(
      400,
      "invalid_ghost",
      `Run ${ghost.id} has no finished lane to replay (it is ${ghost.status}); pick a run that finished.`,
    );
  }
  return ghost.id;
}
