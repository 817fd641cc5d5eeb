/**
 * `/api/agents`: the fleet as last reported by the lab room (open to read), and model pulls on
 * chosen machines (operator only), which the lab room forwards to the agents and keeps track of.
 */

import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { z } from "zod";
import { findAgentOverrides, listAgents, resolveAgents, revokeAgent, saveAgentOverrides } from "../../db/agents.ts";
import { findHardwareSnapshot } from "../../db/hardware-snapshots.ts";
import { liveRunsOfAgent } from "../../db/runs.ts";
import { deriveAgentKey } from "../protocol/agent-key.ts";
import {
  type AgentView,
  defaultLabId,
  type EnrollGrant,
  enrollRequestSchema,
  labDispatchResultSchema,
  modelPullListSchema,
  modelPullRequestSchema,
} from "../protocol/api.ts";
import { agentOverridesSchema } from "../protocol/overrides.ts";
import { safeEqual } from "../protocol/safe-equal.ts";
import type { ApiDeps } from "./api-deps.ts";
import { ApiError } from "./api-error.ts";
import { bearerToken } from "./bearer-token.ts";
import { createOperatorAuth, createOperatorCheck } from "./operator-auth.ts";
import { parseOrThrow } from "./parse-or-throw.ts";
import { readJsonBody } from "./read-json-body.ts";

const overridesBodySchema = z.strictObject({ overrides: agentOverridesSchema.nullable() });

/** Posts a control message to the lab room; a room that cannot be reached is a 503. */
export async function askLab(
  deps: Pick<ApiDeps, "rooms">,
  body: Parameters<ApiDeps["rooms"]["post"]>[2],
): Promise<unknown> {
  try {
    return await deps.rooms.post("lab", defaultLabId, body);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ApiError(503, "rooms_unavailable", `The lab room could not be reached (${reason}); try again.`);
  }
}

function forSpectators(agent: AgentView): AgentView {
  const backends = Object.fromEntries(
    Object.entries(agent.backends).map(([kind, probe]) => {
      const { error: _error, ...rest } = probe;
      return [kind, rest];
    }),
  );
  // the operator's notes are the operator's; the overrides fit checks use stay visible
  const overrides = agent.overrides ? { ...agent.overrides, notes: null } : agent.overrides;
  return { ...agent, backends, overrides };
}

export function createAgentsRoutes(
  deps: Pick<
    ApiDeps,
    "db" | "operatorKey" | "rooms" | "agentToken" | "agentKeySecret" | "onAgentRevoked" | "now" | "log"
  >,
): Hono {
  const app = new Hono();
  const operatorOnly = createOperatorAuth(deps.operatorKey);
  const isOperator = createOperatorCheck(deps.operatorKey);
  app.get("/", (c) => {
    const agents = listAgents(deps.db);
    // An engine's error can name hosts and paths on the operator's network, and the notes are the
    // operator's own: spectators get the rest.
    return c.json({ agents: isOperator(c) ? agents : agents.map(forSpectators) });
  });

  app.post("/pull", operatorOnly, async (c) => {
    const body = parseOrThrow(modelPullRequestSchema, await readJsonBody(c));
    const resolved = resolveAgents(deps.db, body.agents);
    const unknown = resolved.filter((r) => r.agent === null).map((r) => `"${r.ref}"`);
    if (unknown.length > 0) {
      throw new ApiError(400, "unknown_agent", `agents: no agent has the id or name ${unknown.join(", ")}.`);
    }
    const agentIds = [...new Set(resolved.flatMap((r) => (r.agent ? [r.agent.id] : [])))];
    const reply = await askLab(deps, { type: "lab-pull", agent_ids: agentIds, model: body.model });
    return c.json(labDispatchResultSchema.parse(reply), 202);
  });

  app.get("/pulls", operatorOnly, async (c) => {
    return c.json(modelPullListSchema.parse(await askLab(deps, { type: "lab-pulls" })));
  });

  app.post("/enroll", async (c) => {
    const { agentToken, agentKeySecret } = deps;
    if (!agentToken || !agentKeySecret) {
      throw new ApiError(404, "not_found", "This coordinator does not enroll agents here; use the rooms' address.");
    }
    if (!safeEqual(bearerToken(c) ?? "", agentToken)) {
      throw new ApiError(
        401,
        "unauthorized",
        "Enrollment token refused. Use the token `npm start` printed (or BENCH_AGENT_TOKEN) with --token.",
      );
    }
    const { name } = parseOrThrow(enrollRequestSchema, await readJsonBody(c));
    const agentId = `${name.replace(/[^\w.-]/g, "-").slice(0, 40)}-${randomBytes(6).toString("hex")}`;
    const grant: EnrollGrant = { agent_id: agentId, agent_key: await deriveAgentKey(agentKeySecret, agentId) };
    return c.json(grant, 201);
  });

  /** asks a machine to probe its hardware again; it reports what it finds with its next hello */
  app.post("/:id/probe", operatorOnly, async (c) => {
    const id = c.req.param("id");
    if (findAgentOverrides(deps.db, id) === undefined)
      throw new ApiError(404, "not_found", `No agent ${id}; check the id on the Fleet page.`);
    const reply = await askLab(deps, { type: "lab-probe", agent_ids: [id] });
    return c.json(labDispatchResultSchema.parse(reply), 202);
  });

  app.get("/:id/overrides", operatorOnly, (c) => {
    const id = c.req.param("id");
    const overrides = findAgentOverrides(deps.db, id);
    if (overrides === undefined)
      throw new ApiError(404, "not_found", `No agent ${id}; check the id on the Fleet page.`);
    return c.json({ overrides });
  });

  /** replaces the overrides; `{ "overrides": null }` clears them */
  app.put("/:id/overrides", operatorOnly, async (c) => {
    const id = c.req.param("id");
    const body = parseOrThrow(overridesBodySchema, await readJsonBody(c));
    const overrides =
      body.overrides && Object.values(body.overrides).some((v) => v !== null && v !== undefined && v !== "")
        ? body.overrides
        : null;
    if (!saveAgentOverrides(deps.db, id, overrides))
      throw new ApiError(404, "not_found", `No agent ${id}; check the id on the Fleet page.`);
    return c.json({ overrides });
  });

  /** a stored hardware snapshot, as results' provenance names it (`hardware_id`) */
  app.get("/hardware/:hardwareId", (c) => {
    const id = c.req.param("hardwareId");
    const hardware = findHardwareSnapshot(deps.db, id);
    if (!hardware)
      throw new ApiError(
        404,
        "not_found",
        `No hardware snapshot ${id}: it is named by a result's provenance.hardware_id.`,
      );
    return c.json({ hardware_id: id, hardware });
  });

  app.post("/:id/revoke", operatorOnly, async (c) => {
    const id = c.req.param("id");
    if (!revokeAgent(deps.db, id, (deps.now ?? Date.now)())) {
      throw new ApiError(404, "not_found", `No agent ${id}; check the id on the Fleet page.`);
    }
    // the rooms close its sockets and end its lanes; a room that cannot be reached refuses it at its next connect
    const warn = (room: string) => (error: unknown) =>
      deps.log.warn("could not tell a room that an agent was revoked", { room, error: String(error) });
    const revoked = { type: "agent-revoked", agent_id: id } as const;
    await deps.rooms.post("lab", defaultLabId, revoked).catch(warn(defaultLabId));
    for (const runId of liveRunsOfAgent(deps.db, id)) await deps.rooms.post("race", runId, revoked).catch(warn(runId));
    await deps.onAgentRevoked?.(id);
    return c.json({ agent: listAgents(deps.db).find((agent) => agent.id === id) });
  });
  return app;
}
