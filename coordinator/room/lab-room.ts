/**
 * The lab room: every agent keeps one connection here. It tracks who is present and whether
 * they are busy, reports that to the fleet sink, and tells agents which race room to join. It
 * repeats an agent's recent race joins when the agent says hello again, so an agent that
 * restarted mid-race finds its way back (and the race room settles its lanes honestly). It also
 * forwards model pulls to agents and keeps the latest progress of each in memory. Operators'
 * browsers may watch: they get who is present with each machine's latest runtime sample, then
 * every sample as it arrives; spectators are refused.
 */
import { type LabDispatchResult, labControlSchema, type ModelPullState } from "../protocol/api.ts";
import type { AgentStatus } from "../protocol/enums.ts";
import { type AgentIdentity, agentToLabSchema, type LabToAgent, type LabToOperator } from "../protocol/messages.ts";
import type { MachineSample } from "../protocol/runtime-sample.ts";
import { errorMessage, parseControl, parseMessage } from "./parse-message.ts";
import type { LabRoomPorts, Room, RoomConnection } from "./ports.ts";
import { createSerialQueue } from "./serial-queue.ts";
import { slowViewerBytes } from "./viewer-broadcast.ts";

/** Race joins remembered per agent. */
const rememberedRaces = 20;
/** Model pulls whose latest progress is kept; past this, the oldest finished one goes first. */
export const rememberedPulls = 100;

interface Presence {
  conn: RoomConnection;
  identity: AgentIdentity | null;
  /** whether this connection said hello already: a later hello only updates the identity */
  greeted: boolean;
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
  const operators = new Map<string, RoomConnection>();
  /** each present agent's latest runtime sample */
  const latestSamples = new Map<string, MachineSample>();
  /** samples are volatile: an operator whose socket has not drained misses them, never the fleet */
  const tellOperators = (message: LabToOperator) => {
    if (operators.size === 0) return;
    const text = JSON.stringify(message);
    for (const operator of operators.values()) {
      const slow = (operator.bufferedBytes?.() ?? 0) > slowViewerBytes;
      if (!slow || message.type !== "fleet-sample") operator.send(text);
    }
  };
  const fleetMessage = (): LabToOperator => ({
    type: "lab-fleet",
    agents: [...present].flatMap(([agentId, p]) =>
      p.identity ? [{ agent_id: agentId, name: p.identity.name, status: p.status }] : [],
    ),
    samples: [...latestSamples.values()],
  });
  /** latest progress per agent and model, oldest update first */
  const pulls = new Map<string, ModelPullState>();
  const pullKey = (agentId: string, model: string) => `${agentId}\u0000${model}`;

  function keepPull(state: ModelPullState): void {
    const key = pullKey(state.agent_id, state.model);
    pulls.delete(key);
    pulls.set(key, state);
    while (pulls.size > rememberedPulls) {
      const oldest = [...pulls].find(([, kept]) => kept.done)?.[0] ?? pulls.keys().next().value;
      if (oldest === undefined) break;
      pulls.delete(oldest);
    }
  }

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
    isIdle: () => present.size === 0 && operators.size === 0,
    // presence is rebuilt by agents saying hello again when they reconnect: nothing is kept
    restore: async () => {},
    dispose() {},
    presentAgents: () => [...present].filter(([, p]) => p.identity).map(([id]) => id),
    onConnect: (conn) =>
      queue.run(() => {
        if (conn.who.role === "operator") {
          operators.set(conn.id, conn);
          conn.send(JSON.stringify(fleetMessage()));
          return;
        }
        if (conn.who.role !== "agent") {
          send(conn, errorMessage("agents_only", "The lab room is for agents and the operator only."));
          conn.close(4003, "agents only");
          return;
        }
        const previous = present.get(conn.who.agentId);
        if (previous && previous.conn.id !== conn.id) previous.conn.close(4000, "replaced by a newer connection");
        present.set(conn.who.agentId, {
          conn,
          identity: previous?.identity ?? null,
          greeted: false,
          status: "online",
        });
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
          tellOperators(fleetMessage());
          send(conn, { type: "lab-welcome", agent_id: agentId });
          // a repeated hello on the same socket (new backends after a pull) has no races to find again
          if (!presence.greeted)
            for (const runId of dispatched.get(agentId) ?? []) send(conn, { type: "race-join", run_id: runId });
          presence.greeted = true;
          return;
        }
        if (message.type === "runtime-sample") {
          const sample = { ...message.sample, agent_id: agentId };
          latestSamples.set(agentId, sample);
          tellOperators({ type: "fleet-sample", sample });
          return;
        }
        if (message.type === "model-pull-progress") {
          const { type: _type, error, ...progress } = message;
          keepPull({ agent_id: agentId, ...progress, error: error ?? null });
          return;
        }
        presence.status = message.status;
        await report(presence);
        tellOperators(fleetMessage());
      }),
    onClose: (conn) =>
      queue.run(async () => {
        if (conn.who.role !== "agent") {
          operators.delete(conn.id);
          return;
        }
        const agentId = conn.who.agentId;
        if (present.get(agentId)?.conn !== conn) return;
        present.delete(agentId);
        latestSamples.delete(agentId);
        tellOperators(fleetMessage());
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
        const control = parsed.data;
        if (control.type === "lab-pulls") return { status: 200, body: { pulls: [...pulls.values()] } };
        if (control.type === "agent-revoked") {
          present.get(control.agent_id)?.conn.close(4001, "agent revoked");
          return { status: 200, body: { ok: true } };
        }
        if (control.type === "lab-probe") {
          const probed: LabDispatchResult = { reached: [], missing: [] };
          for (const agentId of control.agent_ids) {
            const presence = present.get(agentId);
            if (presence?.identity) {
              send(presence.conn, { type: "hardware-probe" });
              probed.reached.push(agentId);
            } else probed.missing.push(agentId);
          }
          return { status: 200, body: probed };
        }
        const result: LabDispatchResult = { reached: [], missing: [] };
        for (const agentId of control.agent_ids) {
          const presence = present.get(agentId);
          if (control.type === "lab-checkpoint-sync") {
            if (presence?.identity) {
              send(presence.conn, { type: "checkpoint-sync", checkpoint: control.checkpoint });
              keepPull(queuedPull(agentId, control.checkpoint.name));
              result.reached.push(agentId);
            } else result.missing.push(agentId);
            continue;
          }
          if (control.type === "lab-pull") {
            if (presence?.identity) {
              send(presence.conn, { type: "model-pull", model: control.model });
              // a finished pull of the same model must not read as this one's result
              const running = pulls.get(pullKey(agentId, control.model));
              if (!running || running.done) keepPull(queuedPull(agentId, control.model));
              result.reached.push(agentId);
            } else result.missing.push(agentId);
            continue;
          }
          dispatched.set(agentId, [...(dispatched.get(agentId) ?? []), control.run_id].slice(-rememberedRaces));
          if (presence) {
            send(presence.conn, { type: "race-join", run_id: control.run_id });
            result.reached.push(agentId);
          } else result.missing.push(agentId);
        }
        return { status: 200, body: result };
      }),
  };
}

const queuedPull = (agentId: string, model: string): ModelPullState => ({
  agent_id: agentId,
  model,
  status: "queued",
  completed_bytes: null,
  total_bytes: null,
  done: false,
  error: null,
});
