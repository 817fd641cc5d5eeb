/**
 * The race room: one per run. It opens when the API sends the race setup, starts the race when
 * every lane's agent has joined (or the join time runs out), takes each agent's numbered job
 * events exactly once and in order (acknowledged cumulatively, once per tick), and fans the
 * resulting race events out to spectators (one frame per tick) and to the run sink (batched). All
 * state changes go through `append`, and every handler runs on the room's serial queue.
 */
import { raceControlSchema } from "../protocol/api.ts";
import type { JobErrorCode, JobEvent, JobSpec } from "../protocol/job.ts";
import {
  type AgentToRace,
  agentToRaceSchema,
  type RaceToAgent,
  type RaceToViewer,
  viewerToRaceSchema,
} from "../protocol/messages.ts";
import { decodePreviewFrame, encodePreviewFrame } from "../protocol/preview-frame.ts";
import {
  applyRaceEvent,
  changesLaneRecord,
  createRaceState,
  isTerminalLane,
  type LaneState,
  type RaceEvent,
  type RaceState,
  type StoredEvent,
} from "../protocol/race-state.ts";
import { minSampleGapMs } from "../protocol/runtime-sample.ts";
import { type AckedJob, createAckBatcher } from "./ack-batcher.ts";
import { createAgentClocks } from "./agent-clocks.ts";
import { createHeldJobEvents, type HeldJobEvents } from "./held-job-events.ts";
import { controlError, errorMessage, parseControl, parseMessage } from "./parse-message.ts";
import type { ControlReply, RaceRoomPorts, Room, RoomConnection } from "./ports.ts";
import { createRaceJournal } from "./race-journal.ts";
import { createRateLimit } from "./rate-limit.ts";
import { createRunSamples } from "./run-samples.ts";
import { createRunSinkBatcher } from "./run-sink-batcher.ts";
import { createSerialQueue } from "./serial-queue.ts";
import { createStartGate, type LaneGo } from "./start-gate.ts";
import { createViewerBroadcast } from "./viewer-broadcast.ts";

interface JobTrack extends AckedJob {
  laneId: string;
  agentId: string;
  /** events that arrived ahead of a gap, by seq, bounded in bytes */
  held: HeldJobEvents;
  resendAsked: boolean;
}

/** A spectator may ask for a snapshot (a whole race state) once per this many milliseconds. */
export const snapshotRequestIntervalMs = 1000;

export interface RaceRoom extends Room {
  /** the current state, or null before the race opens */
  state(): RaceState | null;
}

export function createRaceRoom(ports: RaceRoomPorts): RaceRoom {
  const { clock, sink, log, roomId } = ports;
  const joinTimeoutMs = ports.joinTimeoutMs ?? 30_000;
  const agentLostMs = ports.agentLostMs ?? 60_000;
  const tickMs = ports.tickMs ?? 50;
  const queue = createSerialQueue();
  const agents = new Map<string, RoomConnection>();
  const viewers = createViewerBroadcast(clock, tickMs);
  const snapshotRequests = createRateLimit(clock, snapshotRequestIntervalMs);
  const jobs = new Map<string, JobTrack>();
  const samples = createRunSamples();
  /** room-clock time of each machine's last kept sample */
  const lastSampleAt = new Map<string, number>();
  const joined = new Set<string>();
  const lostTimers = new Map<string, () => void>();
  let state: RaceState | null = null;
  let cancelJoinTimer: (() => void) | null = null;
  let cancelDeadline: (() => void) | null = null;
  // without storage (local mode: the room lives and dies with its process) nothing is journaled
  const journal = ports.storage ? createRaceJournal(ports.storage, log) : null;
  const acks = createAckBatcher<JobTrack>({
    clock,
    tickMs,
    enqueue: (fn) => void queue.run(fn),
    send(track, seq) {
      const conn = agents.get(track.agentId);
      if (conn) sendTo(conn, { type: "event-ack", job_id: jobIdOf(track.laneId), seq });
      return conn !== undefined;
    },
  });
  const clocks = createAgentClocks({
    clock,
    ping(agentId, pingId) {
      const conn = agents.get(agentId);
      if (conn) sendTo(conn, { type: "clock-ping", ping_id: pingId });
      return conn !== undefined;
    },
    onSettled: () => gate.check(),
  });
  const gate = createStartGate({
    clock,
    enqueue: (fn) => void queue.run(fn),
    readyTimeoutMs: ports.readyTimeoutMs ?? 120_000,
    lanes: () => state?.lanes ?? [],
    clockSettled: (agentId) => clocks.settled(agentId),
    clockOf: (agentId) => clocks.estimate(agentId),
    go: startLane,
    late: (lane, reason) => append({ type: "lane-late", lane_id: lane.lane_id, reason }),
  });
  const sinkBatcher = createRunSinkBatcher({
    runId: roomId,
    sink,
    clock,
    log,
    state: () => state,
    enqueue: (fn) => void queue.run(fn),
    flushMs: ports.sinkFlushMs ?? 100,
    written: (seq, over) => journal?.stored(seq, over),
  });

  const jobIdOf = (laneId: string) => `${roomId}/${laneId}`;
  const sendTo = (conn: RoomConnection, message: RaceToAgent | RaceToViewer) => conn.send(JSON.stringify(message));
  const refuse = (conn: RoomConnection, code: string, message: string) => sendTo(conn, errorMessage(code, message));
  const lanesOf = (agentId: string) => state?.lanes.filter((lane) => lane.agent_id === agentId) ?? [];
  const laneOf = (laneId: string) => state?.lanes.find((lane) => lane.lane_id === laneId);
  const isLive = () => state !== null && (state.status === "pending" || state.status === "running");

  function append(event: RaceEvent): void {
    if (!state) throw new Error("append before the race opened");
    const stored: StoredEvent = { seq: state.seq + 1, at: clock.now(), event };
    const before = state.lanes;
    state = applyRaceEvent(state, stored);
    const changed = changesLaneRecord(event)
      ? state.lanes.filter((lane, i) => lane !== before[i]).map((lane) => lane.lane_id)
      : [];
    journal?.record(stored);
    viewers.event(stored);
    sinkBatcher.add(stored, changed);
    if (event.type === "race-finish") viewers.flush();
  }

  function jobSpecOf(lane: LaneState): JobSpec {
    if (!state) throw new Error("no race");
    return {
      job_id: jobIdOf(lane.lane_id),
      run_id: roomId,
      lane_id: lane.lane_id,
      workload: state.run.workload,
      backend: lane.backend,
      model: lane.model,
      params: lane.params,
      repeats: state.run.repeats,
      warmup: state.run.warmup,
    };
  }

  /** the start instant converted to the agent's clock; null (start at once) when its clock is unknown */
  function agentStartAt(lane: LaneState): number | null {
    const estimate = lane.clock_offset_ms;
    return lane.start_at === null || estimate === null ? null : lane.start_at + estimate;
  }

  function startLane(go: LaneGo): void {
    append({
      type: "lane-go",
      lane_id: go.lane.lane_id,
      start_at: go.startAt,
      clock: go.clock,
      after_lane_id: go.afterLaneId,
      note: go.note,
    });
    sendGo(go.lane.lane_id);
  }

  function sendGo(laneId: string): void {
    const lane = laneOf(laneId);
    const conn = lane && agents.get(lane.agent_id);
    if (lane && conn) sendTo(conn, { type: "job-go", job_id: jobIdOf(laneId), start_at: agentStartAt(lane) });
  }

  /** Sends an agent what it should run (open lanes) and stop (ended lanes); `race_over` once it has nothing left. */
  function sendWork(agentId: string): void {
    const conn = agents.get(agentId);
    if (!conn || !state) return;
    for (const lane of lanesOf(agentId)) {
      const jobId = jobIdOf(lane.lane_id);
      if (isTerminalLane(lane)) sendTo(conn, { type: "job-cancel", job_id: jobId });
      else {
        sendTo(conn, { type: "job-assign", job: jobSpecOf(lane), acked_seq: jobs.get(jobId)?.appliedSeq ?? 0 });
        // a start the agent may have missed while away
        if (lane.start_at !== null && lane.status === "pending") sendGo(lane.lane_id);
      }
    }
    if (lanesOf(agentId).every(isTerminalLane)) {
      refuse(conn, "race_over", `Race ${roomId} has nothing more for agent ${agentId} (${state.status}).`);
    }
  }

  function loseLanes(agentId: string, code: JobErrorCode, message: string): void {
    for (const lane of lanesOf(agentId)) {
      if (!isTerminalLane(lane)) append({ type: "lane-lost", lane_id: lane.lane_id, error: { code, message } });
    }
  }

  /** an agent with open lanes is away: its lanes become lost unless it is back within `agentLostMs` */
  function awaitAgent(agentId: string): void {
    if (!isLive() || lanesOf(agentId).every(isTerminalLane)) return;
    const name = lanesOf(agentId)[0]?.agent_name ?? agentId;
    lostTimers.get(agentId)?.();
    lostTimers.set(
      agentId,
      clock.setTimeout(
        () =>
          void queue.run(() => {
            lostTimers.delete(agentId);
            if (agents.has(agentId)) return;
            loseLanes(
              agentId,
              "agent_lost",
              `Agent ${name} disconnected and did not come back within ${agentLostMs / 1000} s.`,
            );
            finishIfDone();
          }),
        agentLostMs,
      ),
    );
  }

  function startRace(): void {
    if (state?.status !== "pending") return;
    cancelJoinTimer?.();
    cancelJoinTimer = null;
    const absent = [...new Set(state.lanes.map((lane) => lane.agent_id))].filter((id) => !joined.has(id));
    if (absent.length < new Set(state.lanes.map((l) => l.agent_id)).size) append({ type: "race-start" });
    for (const agentId of absent) {
      const name = lanesOf(agentId)[0]?.agent_name ?? agentId;
      loseLanes(
        agentId,
        "agent_absent",
        `Agent ${name} did not join the race within ${joinTimeoutMs / 1000} s. Check that its agent process is running and connected.`,
      );
    }
    for (const agentId of joined) sendWork(agentId);
    gate.open();
    finishIfDone();
  }

  /** after any lane changed: starts what may start, and ends the race once every lane has ended */
  function finishIfDone(): void {
    gate.check();
    if (!state || !isLive() || !state.lanes.every(isTerminalLane)) return;
    cancelDeadline?.();
    append({ type: "race-finish", status: state.lanes.some((lane) => lane.status === "done") ? "done" : "failed" });
    for (const cancel of lostTimers.values()) cancel();
    lostTimers.clear();
    for (const agentId of agents.keys()) sendWork(agentId);
  }

  function onJobLive(agentId: string, live: Extract<AgentToRace, { type: "job-live" }>): void {
    const track = jobs.get(live.job_id);
    const lane = track && track.agentId === agentId ? laneOf(track.laneId) : undefined;
    if (!track || !lane || lane.status !== "running") return;
    viewers.live({ lane_id: track.laneId, repeat: live.repeat, warmup: live.warmup, stats: live.stats });
  }

  /** a live preview from an agent: relayed as bytes to viewers for the lane while its job runs, never kept */
  function onJobPreview(conn: RoomConnection, agentId: string, data: Uint8Array): void {
    const decoded = decodePreviewFrame(data);
    if (!decoded.ok) {
      refuse(conn, "bad_message", `Binary message refused: ${decoded.reason}.`);
      return;
    }
    const { frame } = decoded;
    const track = jobs.get(frame.id);
    const lane = track && track.agentId === agentId ? laneOf(track.laneId) : undefined;
    if (!track || !lane || lane.status !== "running") return;
    viewers.preview(track.laneId, encodePreviewFrame({ ...frame, id: track.laneId }));
  }

  function onJobEvent(conn: RoomConnection, agentId: string, jobId: string, seq: number, event: JobEvent): void {
    const track = jobs.get(jobId);
    if (!track || track.agentId !== agentId) {
      refuse(conn, "unknown_job", `Job ${jobId} is not assigned to agent ${agentId} in race ${roomId}.`);
      return;
    }
    if (seq > track.appliedSeq + 1) {
      track.held.hold(seq, event);
      if (!track.resendAsked) {
        track.resendAsked = true;
        sendTo(conn, { type: "event-resend", job_id: jobId, from_seq: track.appliedSeq + 1 });
      }
      return;
    }
    const fresh = seq === track.appliedSeq + 1;
    if (fresh) {
      applyJobEvent(track, seq, event);
      for (let next = track.held.take(track.appliedSeq + 1); next; next = track.held.take(track.appliedSeq + 1)) {
        applyJobEvent(track, track.appliedSeq + 1, next);
      }
      if (track.held.size === 0) track.resendAsked = false;
    }
    // a duplicate is answered at once: the agent is resending and wants to know where the room is
    acks.due(track, !fresh || event.type === "job-finish");
    if (fresh) finishIfDone();
  }

  function applyJobEvent(track: JobTrack, seq: number, event: JobEvent): void {
    track.appliedSeq = seq;
    const lane = laneOf(track.laneId);
    if (lane && !isTerminalLane(lane)) append({ type: "lane-event", lane_id: track.laneId, job_seq: seq, event });
    else if (event.type !== "job-finish") {
      // the lane ended here (lost, cancelled) while the agent still runs it: tell it to stop
      const conn = agents.get(track.agentId);
      if (conn) sendTo(conn, { type: "job-cancel", job_id: jobIdOf(track.laneId) });
    }
  }

  function handleAgentMessage(
    conn: RoomConnection,
    agentId: string,
    raw: string | Uint8Array,
    receivedAt: number,
  ): void {
    if (typeof raw !== "string") {
      onJobPreview(conn, agentId, raw);
      return;
    }
    const parsed = parseMessage(agentToRaceSchema, raw);
    if (!parsed.ok) {
      sendTo(conn, parsed.error);
      return;
    }
    const message = parsed.data;
    if (message.type === "job-event") {
      onJobEvent(conn, agentId, message.job_id, message.seq, message.event);
      return;
    }
    if (message.type === "job-live") {
      onJobLive(agentId, message);
      return;
    }
    if (message.type === "runtime-sample") {
      // kept over the race's window only, from the race's own machines, stamped with the room's clock,
      // at most one per machine per `minSampleGapMs`
      if (!isLive() || lanesOf(agentId).length === 0) return;
      const at = clock.now();
      if (at - (lastSampleAt.get(agentId) ?? Number.NEGATIVE_INFINITY) < minSampleGapMs) return;
      lastSampleAt.set(agentId, at);
      const sample = { ...message.sample, agent_id: agentId, at };
      samples.add(sample);
      viewers.sample(sample);
      sinkBatcher.addSample(sample);
      return;
    }
    if (message.type === "clock-pong") {
      clocks.pong(agentId, message.ping_id, message.agent_at, receivedAt);
      return;
    }
    if (message.agent_id !== agentId) {
      refuse(conn, "bad_message", `agent-join names ${message.agent_id} but this socket belongs to ${agentId}.`);
      return;
    }
    joined.add(agentId);
    if (!state) return;
    if (state.status === "pending") {
      if (state.lanes.every((lane) => joined.has(lane.agent_id))) startRace();
    } else {
      sendWork(agentId);
    }
  }

  function openRace(setup: Extract<RaceEvent, { type: "race-setup" }>): ControlReply {
    if (state) return controlError(409, "conflict", `Race ${roomId} is already open.`);
    if (setup.run.id !== roomId)
      return controlError(400, "bad_request", `Setup is for run ${setup.run.id}, not ${roomId}.`);
    state = createRaceState(setup);
    append(setup);
    trackJobs(setup, new Map());
    cancelJoinTimer = clock.setTimeout(() => void queue.run(startRace), joinTimeoutMs);
    armDeadline(setup, clock.now());
    return { status: 200, body: { ok: true, seq: state.seq } };
  }

  /** one job per lane, each already applied up to `appliedSeqs` (by lane id) */
  function trackJobs(setup: Extract<RaceEvent, { type: "race-setup" }>, appliedSeqs: Map<string, number>): void {
    for (const lane of setup.lanes) {
      const appliedSeq = appliedSeqs.get(lane.lane_id) ?? 0;
      jobs.set(jobIdOf(lane.lane_id), {
        laneId: lane.lane_id,
        agentId: lane.agent_id,
        appliedSeq,
        held: createHeldJobEvents(),
        resendAsked: false,
        ackedSeq: appliedSeq,
      });
    }
  }

  function armDeadline(setup: Extract<RaceEvent, { type: "race-setup" }>, openedAt: number): void {
    if (setup.run.deadline_s === undefined) return;
    const deadlineS = setup.run.deadline_s;
    const leftMs = Math.max(0, openedAt + deadlineS * 1000 - clock.now());
    cancelDeadline = clock.setTimeout(() => void queue.run(() => endAtDeadline(deadlineS)), leftMs);
  }

  /**
   * Brings a live race back from the journal after the room's memory was lost (a Durable Object
   * evicted or redeployed): the same state, each job's applied seq, the events the sink had not
   * stored, and the timers. Agents are away until they dial again, as after a disconnect.
   */
  async function restore(): Promise<void> {
    if (!journal) return;
    const { events, storedSeq } = await journal.load();
    const first = events[0];
    if (state || first?.event.type !== "race-setup") return;
    const setup = first.event;
    let restored = createRaceState(setup);
    const appliedSeqs = new Map<string, number>();
    for (const stored of events) {
      restored = applyRaceEvent(restored, stored);
      if (stored.event.type === "lane-event") appliedSeqs.set(stored.event.lane_id, stored.event.job_seq);
    }
    state = restored;
    trackJobs(setup, appliedSeqs);
    const allLanes = restored.lanes.map((lane) => lane.lane_id);
    for (const stored of events) if (stored.seq > storedSeq) sinkBatcher.add(stored, allLanes);
    if (!isLive()) return;
    log.info("race restored from room storage", { run_id: roomId, seq: restored.seq });
    armDeadline(setup, first.at);
    if (restored.status === "pending")
      cancelJoinTimer = clock.setTimeout(() => void queue.run(startRace), joinTimeoutMs);
    else gate.open();
    for (const agentId of new Set(restored.lanes.map((lane) => lane.agent_id))) awaitAgent(agentId);
  }

  /** the race ran past its deadline: what still runs is stopped on its agent and its lane ends */
  function endAtDeadline(deadlineS: number): void {
    if (!state || !isLive()) return;
    for (const lane of state.lanes) {
      if (isTerminalLane(lane)) continue;
      const conn = agents.get(lane.agent_id);
      if (conn) sendTo(conn, { type: "job-cancel", job_id: jobIdOf(lane.lane_id) });
      append({
        type: "lane-lost",
        lane_id: lane.lane_id,
        error: {
          code: "deadline_exceeded",
          message: `The race reached its deadline of ${deadlineS} s before this lane finished; start it with a longer deadline_s, or fewer repeats.`,
        },
      });
    }
    finishIfDone();
  }

  function cancelRace(): ControlReply {
    if (!state) return controlError(404, "not_found", `No live race ${roomId} here.`);
    if (!isLive()) {
      return controlError(
        409,
        "run_finished",
        `Race ${roomId} already ended (${state.status}); reload it to see how it finished.`,
      );
    }
    cancelJoinTimer?.();
    gate.dispose();
    append({ type: "race-cancel" });
    for (const [jobId, track] of jobs) {
      const conn = agents.get(track.agentId);
      if (conn) sendTo(conn, { type: "job-cancel", job_id: jobId });
    }
    append({ type: "race-finish", status: "cancelled" });
    return { status: 200, body: { ok: true, seq: state.seq } };
  }

  function revokeAgent(agentId: string): ControlReply {
    if (!state) return controlError(404, "not_found", `No live race ${roomId} here.`);
    const conn = agents.get(agentId);
    if (conn) {
      for (const lane of lanesOf(agentId)) sendTo(conn, { type: "job-cancel", job_id: jobIdOf(lane.lane_id) });
      conn.close(4001, "agent revoked");
    }
    agents.delete(agentId);
    if (isLive()) {
      loseLanes(agentId, "agent_revoked", "The operator revoked this machine during the race; its lane ended there.");
      finishIfDone();
    }
    return { status: 200, body: { ok: true, seq: state.seq } };
  }

  return {
    state: () => state,
    isIdle: () => !isLive() && !sinkBatcher.pending(),
    dispose() {
      cancelJoinTimer?.();
      cancelDeadline?.();
      gate.dispose();
      clocks.dispose();
      acks.dispose();
      sinkBatcher.dispose();
      viewers.dispose();
      for (const cancel of lostTimers.values()) cancel();
      lostTimers.clear();
    },
    flushed: () => queue.run(sinkBatcher.flush),
    restore: () => queue.run(restore),
    onConnect: (conn) =>
      queue.run(() => {
        if (conn.who.role !== "agent") {
          if (!state) {
            // a room with no race holds nothing to watch: the spectator is not kept (nor its memory)
            refuse(conn, "no_race", `Race ${roomId} is not live here. Finished races open from the runs list.`);
            conn.close(4004, "no race here");
            return;
          }
          // the frame under way goes out first: the snapshot then already holds its events
          viewers.flush();
          viewers.add(conn);
          viewers.send(
            conn,
            JSON.stringify({ type: "race-snapshot", state, samples: samples.latest() } satisfies RaceToViewer),
          );
          return;
        }
        const agentId = conn.who.agentId;
        if (!state || lanesOf(agentId).length === 0) {
          refuse(conn, "not_in_race", `Agent ${agentId} has no lane in race ${roomId}.`);
          conn.close(4003, "not in race");
          return;
        }
        const previous = agents.get(agentId);
        if (previous && previous.id !== conn.id) previous.close(4000, "replaced by a newer connection");
        agents.set(agentId, conn);
        lostTimers.get(agentId)?.();
        lostTimers.delete(agentId);
        if (isLive() && !lanesOf(agentId).every(isTerminalLane)) clocks.measure(agentId);
      }),
    onMessage: (conn, raw) => {
      // stamped before the queue: a clock answer's arrival must not include the wait for the queue
      const receivedAt = clock.now();
      return queue.run(() => {
        if (conn.who.role === "agent") return handleAgentMessage(conn, conn.who.agentId, raw, receivedAt);
        const parsed = parseMessage(viewerToRaceSchema, raw);
        if (!parsed.ok) {
          sendTo(conn, { ...parsed.error, message: `${parsed.error.message} Spectators can only ask for a snapshot.` });
        } else if (!snapshotRequests.allow(conn.id)) {
          refuse(
            conn,
            "rate_limited",
            `Snapshot refused: a spectator may ask for one every ${snapshotRequestIntervalMs / 1000} s; ask again later.`,
          );
        } else if (state) {
          viewers.flush();
          viewers.send(
            conn,
            JSON.stringify({ type: "race-snapshot", state, samples: samples.latest() } satisfies RaceToViewer),
          );
        }
      });
    },
    onClose: (conn) =>
      queue.run(() => {
        viewers.remove(conn.id);
        snapshotRequests.forget(conn.id);
        if (conn.who.role !== "agent" || agents.get(conn.who.agentId) !== conn) return;
        agents.delete(conn.who.agentId);
        awaitAgent(conn.who.agentId);
      }),
    onControl: (body) =>
      queue.run(() => {
        const parsed = parseControl(raceControlSchema, body);
        if (!parsed.ok) return parsed.reply;
        if (parsed.data.type === "race-open") return openRace(parsed.data.setup);
        if (parsed.data.type === "race-cancel") return cancelRace();
        return revokeAgent(parsed.data.agent_id);
      }),
  };
}
