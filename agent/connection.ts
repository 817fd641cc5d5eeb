/**
 * The agent's side of the wire: it dials out to the lab room (nothing listens on the agent),
 * joins each race room it is sent to, hands assigned jobs to the runner, and keeps every job
 * event in an outbox until the room acknowledges it, resending after a reconnect. Model pulls the
 * lab room asks for go to `onModelPull`; their progress comes back through `reportPull`.
 */
import { join } from "node:path";
import { PartySocket } from "partysocket";
import { WebSocket } from "ws";
import { defaultLabId } from "../coordinator/protocol/api.ts";
import type { CheckpointSpec } from "../coordinator/protocol/checkpoint.ts";
import type { Backends } from "../coordinator/protocol/hardware.ts";
import { maxPreviewBytes } from "../coordinator/protocol/image.ts";
import type { JobSpec } from "../coordinator/protocol/job.ts";
import type { Logger } from "../coordinator/protocol/logger.ts";
import {
  type AgentIdentity,
  type AgentToLab,
  type AgentToRace,
  labToAgentSchema,
  type ModelPullProgress,
  raceToAgentSchema,
} from "../coordinator/protocol/messages.ts";
import { encodePreviewFrame } from "../coordinator/protocol/preview-frame.ts";
import type { RuntimeSample } from "../coordinator/protocol/runtime-sample.ts";
import { agentClockNow } from "./agent-clock.ts";
import { heartbeatWebSocket } from "./heartbeat-web-socket.ts";
import { createJobOutbox, type JobOutbox } from "./job-outbox.ts";
import type { Runner } from "./runner.ts";
import { uploadImage } from "./upload-image.ts";

/** A job's unacknowledged events kept in memory before they move to disk. */
export const outboxMemoryBytes = 4 * 1024 * 1024;
/** Bytes queued on a race socket above which live previews are dropped rather than sent. */
export const previewBacklogBytes = 256 * 1024;
/** How long a race socket may stay down before a job's kept events move to disk. */
export const reconnectWindowMs = 30_000;

export interface AgentConnectionOptions {
  /** http(s) URL of the coordinator */
  coordinatorUrl: string;
  /** the key this agent got at enrollment */
  agentKey: string;
  identity: AgentIdentity;
  runner: Runner;
  log: Logger;
  /** where jobs' unacknowledged events go when they outgrow memory or an outage (kept-events.ts); none: memory only */
  outboxDir?: string;
  /** milliseconds between heartbeat pings; default protocol/keep-alive.ts's */
  heartbeatMs?: number;
  /** the lab room asked for this model to be pulled */
  onModelPull?(model: string): void;
  /** the lab room asked for the hardware to be probed again */
  onHardwareProbe?(): void;
  /** the lab room asked for this checkpoint to be downloaded into ComfyUI */
  onCheckpointSync?(checkpoint: CheckpointSpec): void;
}

export interface AgentConnection {
  /** reports busy/online to the lab room */
  setBusy(busy: boolean): void;
  /** volatile: sent only while the lab socket is open */
  reportPull(progress: ModelPullProgress): void;
  /** volatile: one runtime sample to the lab room and to every race room this agent is in, where open */
  reportSample(sample: RuntimeSample): void;
  /** replaces the backends this agent reports and says hello again with them */
  updateBackends(backends: Backends): void;
  /** replaces the hardware this agent reports (a new probe) and says hello again with it */
  updateHardware(hardware: AgentIdentity["hardware"], hardwareId: string): void;
  /** resolves when the lab room has welcomed this agent */
  welcomed: Promise<void>;
  /** resolves once no race is left to report to (every job's events acknowledged) */
  whenIdle(): Promise<void>;
  close(): void;
}

interface RaceLink {
  socket: PartySocket;
  outboxes: Map<string, JobOutbox>;
}

export function createAgentConnection(options: AgentConnectionOptions): AgentConnection {
  const { runner, log } = options;
  const HeartbeatWebSocket = heartbeatWebSocket(options.heartbeatMs);
  let identity = options.identity;
  const base = new URL(options.coordinatorUrl);
  const socketOptions = (party: "lab" | "race", room: string) => ({
    host: base.host,
    protocol: base.protocol === "https:" ? ("wss" as const) : ("ws" as const),
    party,
    room,
    query: { role: "agent", agent_id: identity.agent_id, key: options.agentKey },
    WebSocket: HeartbeatWebSocket,
    maxEnqueuedMessages: 0,
    minReconnectionDelay: 500,
    maxReconnectionDelay: 10_000,
  });
  const races = new Map<string, RaceLink>();
  const spillOf = (jobId: string) =>
    options.outboxDir
      ? {
          file: join(options.outboxDir, `${jobId.replace(/[^\w.-]/g, "_")}.ndjson`),
          maxMemoryBytes: outboxMemoryBytes,
          afterMs: reconnectWindowMs,
        }
      : null;
  const idleWaiters: Array<() => void> = [];
  /** races this process finished with; a repeated join for one of them is ignored */
  const left = new Set<string>();
  let markWelcomed: () => void = () => {};
  const welcomed = new Promise<void>((resolve) => {
    markWelcomed = resolve;
  });
  let busy = false;

  const lab = new PartySocket(socketOptions("lab", defaultLabId));
  const sendLab = (message: AgentToLab) => lab.send(JSON.stringify(message));
  lab.addEventListener("open", () => {
    sendLab({ type: "agent-hello", agent: identity });
    if (busy) sendLab({ type: "agent-status", status: "busy" });
  });
  lab.addEventListener("close", (event) => {
    if (event.code !== 1000)
      log.warn("lab connection closed; reconnecting", { code: event.code, reason: event.reason });
  });
  lab.addEventListener("message", (event) => {
    const parsed = safeJson(labToAgentSchema, event.data);
    if (!parsed) return log.warn("unreadable message from the lab room", { data: String(event.data).slice(0, 200) });
    if (parsed.type === "lab-welcome") {
      log.info("connected to the lab", { agent_id: parsed.agent_id });
      markWelcomed();
    } else if (parsed.type === "race-join") joinRace(parsed.run_id);
    else if (parsed.type === "model-pull") options.onModelPull?.(parsed.model);
    else if (parsed.type === "hardware-probe") options.onHardwareProbe?.();
    else if (parsed.type === "checkpoint-sync") options.onCheckpointSync?.(parsed.checkpoint);
    else log.warn("the lab room refused a message", { code: parsed.code, message: parsed.message });
  });

  function joinRace(runId: string): void {
    if (races.has(runId) || left.has(runId)) return;
    const link: RaceLink = { socket: new PartySocket(socketOptions("race", runId)), outboxes: new Map() };
    races.set(runId, link);
    const send = (message: AgentToRace) => link.socket.send(JSON.stringify(message));
    link.socket.addEventListener("open", () => {
      for (const outbox of link.outboxes.values()) outbox.attach(send);
      send({ type: "agent-join", agent_id: identity.agent_id });
    });
    link.socket.addEventListener("close", () => {
      for (const outbox of link.outboxes.values()) outbox.attach(null);
    });
    link.socket.addEventListener("message", (event) => {
      const message = safeJson(raceToAgentSchema, event.data);
      if (!message) return log.warn("unreadable message from a race room", { run_id: runId });
      switch (message.type) {
        case "clock-ping":
          return send({ type: "clock-pong", ping_id: message.ping_id, agent_at: agentClockNow() });
        case "job-go":
          return runner.go(message.job_id, message.start_at);
        case "job-assign":
          return assign(link, runId, message.job, message.acked_seq, send);
        case "event-ack":
          return link.outboxes.get(message.job_id)?.ack(message.seq);
        case "event-resend":
          return link.outboxes.get(message.job_id)?.resendFrom(message.from_seq);
        case "job-cancel":
          return runner.cancel(message.job_id);
        case "error":
          // the race is gone (a restarted coordinator, a finished race): nothing it assigned may keep running
          if (message.code === "not_in_race" || message.code === "race_over") leaveRace(runId, true);
          return log.warn("the race room refused a message", {
            run_id: runId,
            code: message.code,
            message: message.message,
          });
      }
    });
  }

  function assign(link: RaceLink, runId: string, job: JobSpec, ackedSeq: number, send: (m: AgentToRace) => void): void {
    let outbox = link.outboxes.get(job.job_id);
    if (!outbox) {
      outbox = createJobOutbox(job.job_id, () => settle(runId, job.job_id), ackedSeq, spillOf(job.job_id));
      link.outboxes.set(job.job_id, outbox);
      outbox.attach(send);
      if (ackedSeq === 0)
        runner.enqueue(job, {
          event: (event) => outbox?.push(event),
          // volatile: sent only while the socket is open, never kept or resent
          live: (pass, stats) => {
            if (link.socket.readyState === WebSocket.OPEN)
              send({ type: "job-live", job_id: job.job_id, ...pass, stats });
          },
          // volatile and binary: dropped while the socket is closed or backed up, or when over the rooms' limit
          preview: (pass, preview) => {
            if (link.socket.readyState !== WebSocket.OPEN || link.socket.bufferedAmount > previewBacklogBytes) return;
            if (preview.bytes.length > maxPreviewBytes) return;
            link.socket.send(encodePreviewFrame({ id: job.job_id, ...pass, ...preview }));
          },
          image: (_pass, image) =>
            uploadImage({
              coordinatorUrl: options.coordinatorUrl,
              agentKey: options.agentKey,
              runId: job.run_id,
              laneId: job.lane_id,
              image,
            }),
        });
      else
        outbox.push({
          type: "job-finish",
          status: "failed",
          error: {
            code: "agent_restarted",
            message: "The agent restarted in the middle of this job; its partial results are kept.",
          },
        });
      return;
    }
    outbox.ack(ackedSeq);
    outbox.resendFrom(ackedSeq + 1);
  }

  function settle(runId: string, jobId: string): void {
    const link = races.get(runId);
    if (!link) return;
    if ([...link.outboxes.values()].every((outbox) => outbox.settled())) leaveRace(runId);
    else log.info("job settled", { job_id: jobId });
  }

  /** `cancelJobs`: the race is gone, so its jobs still queued or running on this machine are cancelled */
  function leaveRace(runId: string, cancelJobs = false): void {
    const link = races.get(runId);
    for (const outbox of link?.outboxes.values() ?? []) {
      outbox.attach(null);
      if (cancelJobs && !outbox.settled()) {
        log.info("race is gone; cancelling its job", { run_id: runId, job_id: outbox.jobId });
        runner.cancel(outbox.jobId);
      }
    }
    link?.socket.close();
    races.delete(runId);
    left.add(runId);
    if (races.size === 0) for (const wake of idleWaiters.splice(0)) wake();
  }

  return {
    welcomed,
    whenIdle: () => (races.size === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve))),
    setBusy(next) {
      busy = next;
      sendLab({ type: "agent-status", status: next ? "busy" : "online" });
    },
    reportPull(progress) {
      if (lab.readyState === WebSocket.OPEN) sendLab(progress);
    },
    reportSample(sample) {
      const text = JSON.stringify({ type: "runtime-sample", sample } satisfies AgentToLab);
      if (lab.readyState === WebSocket.OPEN) lab.send(text);
      for (const link of races.values()) if (link.socket.readyState === WebSocket.OPEN) link.socket.send(text);
    },
    updateBackends(backends) {
      identity = { ...identity, backends };
      if (lab.readyState === WebSocket.OPEN) sendLab({ type: "agent-hello", agent: identity });
    },
    updateHardware(hardware, hardwareId) {
      identity = { ...identity, hardware, hardware_id: hardwareId };
      if (lab.readyState === WebSocket.OPEN) sendLab({ type: "agent-hello", agent: identity });
    },
    close() {
      for (const runId of [...races.keys()]) leaveRace(runId);
      lab.close();
    },
  };
}

function safeJson<T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
  data: unknown,
): T | null {
  try {
    const result = schema.safeParse(JSON.parse(String(data)));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}
