/**
 * Decides at connect time who a socket belongs to, from its URL alone, so that both hosts refuse
 * a wrong agent token before the upgrade. Agents present `?role=agent&agent_id=..&token=..`;
 * anything else is a spectator, and spectators may only watch races.
 */
import type { ConnectionRole } from "./ports.ts";

export type ConnectionDecision =
  | { ok: true; who: ConnectionRole }
  | { ok: false; status: 401 | 403 | 404; message: string };

const parties = ["race", "lab"] as const;
export type PartyName = (typeof parties)[number];
export const isPartyName = (name: string): name is PartyName => (parties as readonly string[]).includes(name);

/** Compares two strings in time that does not depend on where they differ. */
export function safeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  return diff === 0;
}

export function authorizeConnection(party: PartyName, url: URL, agentToken: string): ConnectionDecision {
  const role = url.searchParams.get("role") ?? "viewer";
  if (role === "agent") {
    const token = url.searchParams.get("token") ?? "";
    const agentId = url.searchParams.get("agent_id") ?? "";
    if (!safeEqual(token, agentToken)) {
      return {
        ok: false,
        status: 401,
        message: "Agent token refused. Use the enrollment token printed by `npm start` (or BENCH_AGENT_TOKEN).",
      };
    }
    if (!/^[\w.:-]{1,100}$/.test(agentId)) {
      return { ok: false, status: 401, message: "agent_id is missing or malformed (letters, digits, . _ : - only)." };
    }
    return { ok: true, who: { role: "agent", agentId } };
  }
  if (role !== "viewer") return { ok: false, status: 403, message: `Unknown role "${role}": use agent or viewer.` };
  if (party === "lab") return { ok: false, status: 403, message: "The lab room is for agents only." };
  return { ok: true, who: { role: "viewer" } };
}
