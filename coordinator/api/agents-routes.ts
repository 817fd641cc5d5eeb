/**
 * `/api/agents`: the fleet as last reported by the lab room (open to read), and model pulls on
 * chosen machines (operator only), which the lab room forwards to the agents and keeps track of.
 */

import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { listAgents, resolveAgents, revokeAgent } from "../../db/agents.ts";
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
import { safeEqual } from "../protocol/safe-equal.ts";
import type { ApiDeps } from "./api-deps.ts";
import { ApiError } from "./api-error.ts";
import { createOperatorAuth, createOperatorCheck } from "./operator-auth.ts";
import { parseOrThrow } from "./parse-or-throw.ts";
import { readJsonBody } from "./read-json-body.ts";

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

function withoutEngineErrors(agent: AgentView): AgentView {
  const backends = Object.fromEntries(
    Object.entries(agent.backends).map(([kind, probe]) => {
      const { error: _error, ...rest } = probe;
      return [kind, rest];
    }),
  );
  return { ...agent, backends };
}

export function createAgentsRoutes(
  deps: Pick<ApiDeps, "db" | "operatorKey" | "rooms" | "agentToken" | "agentKeySecret" | "onAgentRevoked" | "now">,
): Hono {
  const app = new Hono();
  const operatorOnly = createOperatorAuth(deps.operatorKey);
  const isOperator = createOperatorCheck(deps.operatorKey);
  app.get("/", (c) => {
    const agents = listAgents(deps.db);
    // An engine's error can name hosts and paths on the operator's network: spectators get the rest.
    return c.json({ agents: isOperator(c) ? agents : agents.map(withoutEngineErrors) });
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
    if (!safeEqual(c.req.header("authorization") ?? "", `Bearer ${agentToken}`)) {
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

  app.post("/:id/revoke", operatorOnly, async (c) => {
    const id = c.req.param("id");
    if (!revokeAgent(deps.db, id, (deps.now ?? Date.now)())) {
      throw new ApiError(404, "not_found", `No agent ${id}; check the id on the Fleet page.`);
    }
    await deps.onAgentRevoked?.(id);
    return c.json({ agent: listAgents(deps.db).find((agent) => agent.id === id) });
  });
  return app;
}
