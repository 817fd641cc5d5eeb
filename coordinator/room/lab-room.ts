/**
 * The lab room: every agent keeps one connection here. It tracks who is present and whether
 * they are busy, reports that to the fleet sink, and tells agents which race room to join. It
 * repeats an agent's recent race joins when the agent says hello again, so an agent that
 * restarted mid-race finds its way back (and the race room settles its lanes honestly).
 */
import { type LabDispatchResult, labControlSchema } from "../protocol/api.ts";
import type { AgentStatus } from "../protocol/enums.ts";
import { type AgentIdentity, agentToLabSchema, type LabToAgent } from "../protocol/messages.ts";
import { errorMessage, parseControl, parseMessage } from "./parse-message.ts";
import type { LabRoomPorts, Room, RoomConnection } from "./ports.ts";
import { createSerialQueue } from "./serial-queue.ts";

/** Race joins remembered per agent. */
const rememberedRaces = 20;

interface Presence {
  conn: RoomConnection;
  identity: AgentIdentity | null;
  status: Exclude<AgentStatus, "offline">;
}

export interface LabRoom extends Room {
  /** ids of agents that said hello and are still connected */
  presentAgents(): string[];
}

export function createLabRoom(ports: LabRoomPorts): LabRoom {
  const { sink, log } = ports;
  const queue = createSerialQueue();
  const present = new Map<string, Presence>();
  /** the latest races each agent was sent to, newest last */
  const dispatched = new Map<string, string[]>();
  const send = (conn: RoomConnection, message: LabToAgent) => conn.send(JSON.stringify(message));

  async function report(presence: Presence): Promise<void> {
    if (!presence.identity) return;
    try {
      await sink.write({ type: "agent-seen", agent: presence.identity, status: presence.status });
    } catch (err) {
      log.error("fleet sink write failed", { agent_id: presence.identity.agent_id, error: String(err) });
    }
  }

  return {
    flushed: () => queue.run(() => undefined),
    isIdle: () => present.size === 0,
    dispose() {},
    presentAgents: () => [...present].filter(([, p]) => p.identity).map(([id]) => id),
    onConnect: (conn) =>
      queue.run(() => {
        if (conn.who.role !== "agent") {
          send(conn, errorMessage("agents_only", "The lab room is for agents only."));
          conn.close(4003, "agents only");
          return;
        }
        const previous = present.get(conn.who.agentId);
        if (previous && previous.conn.id !== conn.id) previous.conn.close(4000, "replaced by a newer connection");
        present.set(conn.who.agentId, { conn, identity: previous?.identity ?? null, status: "online" });
      }),
    onMessage: (conn, raw) =>
      queue.run(async () => {
        if (conn.who.role !== "agent") return;
        const agentId = conn.who.agentId;
        const presence = present.get(agentId);
        if (!presence || presence.conn !== conn) return;
        const parsed = parseMessage(agentToLabSchema, raw);
        if (!parsed.ok) return send(conn, parsed.error);
        const message = parsed.data;
        if (message.type === "agent-hello") {
          if (message.agent.agent_id !== agentId) {
            return send(
              conn,
              errorMessage(
                "bad_message",
                `agent-hello names ${message.agent.agent_id} but this socket belongs to ${agentId}.`,
              ),
            );
          }
          presence.identity = message.agent;
          await report(presence);
          send(conn, { type: "lab-welcome", agent_id: agentId });
          for (const runId of dispatched.get(agentId) ?? []) send(conn, { type: "race-join", run_id: runId });
          return;
        }
        presence.status = message.status;
        await report(presence);
      }),
    onClose: (conn) =>
      queue.run(async () => {
        if (conn.who.role !== "agent") return;
        const agentId = conn.who.agentId;
        if (present.get(agentId)?.conn !== conn) return;
        present.delete(agentId);
        try {
          await sink.write({ type: "agent-gone", agent_id: agentId });
        } catch (err) {
          log.error("fleet sink write failed", { agent_id: agentId, error: String(err) });
        }
      }),
    onControl: (body) =>
      queue.run(() => {
        const parsed = parseControl(labControlSchema, body);
        if (!parsed.ok) return parsed.reply;
        const result: LabDispatchResult = { reached: [], missing: [] };
        for (const agentId of parsed.data.agent_ids) {
          dispatched.set(agentId, [...(dispatched.get(agentId) ?? []), parsed.data.run_id].slice(-rememberedRaces));
          const presence = present.get(agentId);
          if (presence) {
            send(presence.conn, { type: "race-join", run_id: parsed.data.run_id });
            result.reached.push(agentId);
          } else result.missing.push(agentId);
        }
        return { status: 200, body: result };
      }),
  };
}
