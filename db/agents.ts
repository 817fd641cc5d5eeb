/**
 * The fleet as the database remembers it: every agent that ever said hello, its last known status,
 * hardware and backends. The lab room reports changes through the fleet sink (`applyFleetChange`).
 */
import { asc, eq } from "drizzle-orm";
import type { AgentView, FleetChange } from "../coordinator/protocol/api.ts";
import type { AgentOverrides } from "../coordinator/protocol/overrides.ts";
import type { Db } from "./client.ts";
import { saveHardwareSnapshot } from "./hardware-snapshots.ts";
import { agents } from "./schema.ts";

type AgentRow = typeof agents.$inferSelect;

const toAgentView = (row: AgentRow): AgentView => ({
  id: row.id,
  name: row.name,
  status: row.status,
  version: row.version,
  hardware: row.hardware,
  backends: row.backends,
  last_seen_at: new Date(row.lastSeenAt).toISOString(),
  revoked_at: row.revokedAt === null ? null : new Date(row.revokedAt).toISOString(),
  overrides: row.overrides ?? null,
});

/** Records an agent seen (inserted or updated with its identity and status) or gone (offline). */
export function applyFleetChange(db: Db, change: FleetChange, now: number): void {
  if (change.type === "agent-gone") {
    db.update(agents).set({ status: "offline", lastSeenAt: now }).where(eq(agents.id, change.agent_id)).run();
    return;
  }
  const { agent, status } = change;
  const values = {
    name: agent.name,
    version: agent.version,
    status,
    hardware: agent.hardware,
    hardwareId: agent.hardware_id ?? null,
    backends: agent.backends,
    lastSeenAt: now,
  };
  db.transaction((tx) => {
    tx.insert(agents)
      .values({ id: agent.agent_id, ...values })
      .onConflictDoUpdate({ target: agents.id, set: values })
      .run();
    if (agent.hardware_id) saveHardwareSnapshot(db, agent.hardware_id, agent.hardware, agent.agent_id, now);
  });
}

/** The operator's overrides of an agent; undefined when there is no such agent. */
export function findAgentOverrides(db: Db, id: string): AgentOverrides | null | undefined {
  const row = db.select({ overrides: agents.overrides }).from(agents).where(eq(agents.id, id)).get();
  return row === undefined ? undefined : (row.overrides ?? null);
}

/** Replaces an agent's overrides (null clears them); false when there is no such agent. */
export function saveAgentOverrides(db: Db, id: string, overrides: AgentOverrides | null): boolean {
  return db.update(agents).set({ overrides }).where(eq(agents.id, id)).run().changes > 0;
}

/** Every known agent, by name. */
export function listAgents(db: Db): AgentView[] {
  return db.select().from(agents).orderBy(asc(agents.name), asc(agents.id)).all().map(toAgentView);
}

export interface ResolvedAgent {
  /** the id or name as the caller gave it */
  ref: string;
  /** null when no agent has that id or name */
  agent: AgentView | null;
}

const statusRank = { online: 0, busy: 1, offline: 2 } as const;

/**
 * Finds each agent by id, else by name. When several agents share a name, a connected one wins,
 * then the one seen most recently.
 */
export function resolveAgents(db: Db, idsOrNames: readonly string[]): ResolvedAgent[] {
  const rows = db.select().from(agents).all();
  const byId = new Map(rows.map((row) => [row.id, row]));
  const byName = new Map<string, AgentRow>();
  for (const row of rows) {
    const other = byName.get(row.name);
    const better =
      !other ||
      statusRank[row.status] < statusRank[other.status] ||
      (statusRank[row.status] === statusRank[other.status] && row.lastSeenAt > other.lastSeenAt);
    if (better) byName.set(row.name, row);
  }
  return idsOrNames.map((ref) => {
    const row = byId.get(ref) ?? byName.get(ref);
    return { ref, agent: row ? toAgentView(row) : null };
  });
}

/** At start-up no agent is connected yet: every agent is offline until it says hello again. */
export function markAllAgentsOffline(db: Db): void {
  db.update(agents).set({ status: "offline" }).run();
}

/** Revokes an agent (its key is refused from now on); false when there is no such agent. */
export function revokeAgent(db: Db, id: string, now: number): boolean {
  const row = db.select({ revokedAt: agents.revokedAt }).from(agents).where(eq(agents.id, id)).get();
  if (!row) return false;
  if (row.revokedAt === null) {
    db.update(agents).set({ revokedAt: now, status: "offline" }).where(eq(agents.id, id)).run();
  }
  return true;
}

export function isAgentRevoked(db: Db, id: string): boolean {
  const row = db.select({ revokedAt: agents.revokedAt }).from(agents).where(eq(agents.id, id)).get();
  return row?.revokedAt !== undefined && row.revokedAt !== null;
}
