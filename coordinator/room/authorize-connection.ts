/**
 * Decides at connect time who a socket belongs to, from its URL alone, so that both hosts refuse
 * a wrong or revoked agent before the upgrade and before any message is handled. Agents present
 * `?role=agent&agent_id=..&key=..` with the key they got at enrollment (agent-key.ts); operators
 * `?role=operator` with `&key=<operator key>` or the dashboard's operator cookie, to watch the
 * lab's fleet live; anything else is a spectator, and spectators may only watch races.
 */
import { deriveAgentKey } from "../protocol/agent-key.ts";
import { safeEqual } from "../protocol/safe-equal.ts";
import type { ConnectionRole } from "./ports.ts";

export type ConnectionDecision =
  | { ok: true; who: ConnectionRole }
  | { ok: false; status: 401 | 403 | 404; message: string };

const parties = ["race", "lab"] as const;
export type PartyName = (typeof parties)[number];
export const isPartyName = (name: string): name is PartyName => (parties as readonly string[]).includes(name);

export interface AgentCheck {
  /** the secret agent keys are derived from */
  agentKeySecret: string;
  /** true for an agent the operator revoked (hosts without the fleet's records ask the API) */
  isRevoked(agentId: string): boolean | Promise<boolean>;
  /**
   * whether the socket comes from the operator: the `key` query parameter or the request's Cookie
   * header, checked by the composition root (or asked of the API by hosts without the key); hosts
   * without it refuse operator sockets
   */
  isOperator?(key: string | null, cookieHeader: string | null): boolean | Promise<boolean>;
}

export const agentIdPattern = /^[\w.:-]{1,100}$/;

export async function authorizeConnection(
  party: PartyName,
  url: URL,
  check: AgentCheck,
  cookieHeader: string | null = null,
): Promise<ConnectionDecision> {
  const role = url.searchParams.get("role") ?? "viewer";
  if (role === "agent") {
    const key = url.searchParams.get("key") ?? "";
    const agentId = url.searchParams.get("agent_id") ?? "";
    if (!agentIdPattern.test(agentId)) {
      return { ok: false, status: 401, message: "agent_id is missing or malformed (letters, digits, . _ : - only)." };
    }
    if (!safeEqual(key, await deriveAgentKey(check.agentKeySecret, agentId))) {
      return {
        ok: false,
        status: 401,
        message:
          "Agent key refused for this agent id. Agents enroll with the enrollment token (npm run agent -- --token ...) and then connect with the key they were given.",
      };
    }
    if (await check.isRevoked(agentId)) {
      return {
        ok: false,
        status: 403,
        message: `Agent ${agentId} was revoked by the operator. To race this machine again, remove its saved key and enroll it again with the enrollment token.`,
      };
    }
    return { ok: true, who: { role: "agent", agentId } };
  }
  if (role === "operator") {
    if (!(await check.isOperator?.(url.searchParams.get("key"), cookieHeader))) {
      return {
        ok: false,
        status: 401,
        message:
          "Operator key refused: open the dashboard link `npm start` printed (it carries the key) and try again.",
      };
    }
    return { ok: true, who: { role: "operator" } };
  }
  if (role !== "viewer")
    return { ok: false, status: 403, message: `Unknown role "${role}": use agent, operator or viewer.` };
  if (party === "lab") return { ok: false, status: 403, message: "The lab room is for agents only." };
  return { ok: true, who: { role: "viewer" } };
}
