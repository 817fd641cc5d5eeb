/**
 * What a race room knows of each agent's clock. When an agent connects the room sends it a burst of
 * pings, one at a time (the next when the answer comes), and estimates the offset from the answers
 * (protocol/clock-offset.ts); the burst is repeated while the race runs so a long race follows
 * drift. An agent that does not answer a ping in time ends its burst: it is `settled` without an
 * estimate, and the start gate goes on without waiting for it.
 */
import { type ClockEstimate, type ClockSample, estimateClockOffset } from "../protocol/clock-offset.ts";
import type { Clock } from "./ports.ts";

export interface AgentClocksOptions {
  clock: Clock;
  /** sends a ping to the agent; false when it has no open socket */
  ping(agentId: string, pingId: number): boolean;
  /** an agent's burst ended (with or without an estimate) */
  onSettled(agentId: string): void;
  /** pings per burst; default 8 */
  burst?: number;
  /** how long an answer may take before the burst ends; default 1000 ms */
  answerTimeoutMs?: number;
  /** time between bursts; default 30 s */
  refreshMs?: number;
}

export interface AgentClocks {
  /** starts a burst (an agent connected) */
  measure(agentId: string): void;
  /** an answer arrived at `receivedAt` (room clock, stamped on arrival, before any queue) */
  pong(agentId: string, pingId: number, agentAt: number, receivedAt: number): void;
  estimate(agentId: string): ClockEstimate | null;
  /** true once a burst ended for the agent, whatever it found */
  settled(agentId: string): boolean;
  dispose(): void;
}

interface AgentTrack {
  samples: ClockSample[];
  /** the ping awaiting its answer */
  pending: { id: number; sentAt: number; cancelTimeout: () => void } | null;
  sentInBurst: number;
  estimate: ClockEstimate | null;
  settled: boolean;
  cancelRefresh: (() => void) | null;
}

/** Samples kept per agent across bursts: the estimate uses the fastest third of these. */
const keptSamples = 24;

export function createAgentClocks(options: AgentClocksOptions): AgentClocks {
  const { clock } = options;
  const burst = options.burst ?? 8;
  const answerTimeoutMs = options.answerTimeoutMs ?? 1000;
  const refreshMs = options.refreshMs ?? 30_000;
  const tracks = new Map<string, AgentTrack>();
  let nextPingId = 1;

  function sendPing(agentId: string, track: AgentTrack): void {
    const id = nextPingId++;
    if (!options.ping(agentId, id)) {
      endBurst(agentId, track);
      return;
    }
    track.sentInBurst += 1;
    track.pending = {
      id,
      sentAt: clock.now(),
      cancelTimeout: clock.setTimeout(() => {
        track.pending = null;
        endBurst(agentId, track);
      }, answerTimeoutMs),
    };
  }

  function endBurst(agentId: string, track: AgentTrack): void {
    track.pending?.cancelTimeout();
    track.pending = null;
    const first = !track.settled;
    track.settled = true;
    track.cancelRefresh = clock.setTimeout(() => startBurst(agentId, track), refreshMs);
    if (first) options.onSettled(agentId);
  }

  function startBurst(agentId: string, track: AgentTrack): void {
    track.cancelRefresh?.();
    track.cancelRefresh = null;
    track.pending?.cancelTimeout();
    track.sentInBurst = 0;
    sendPing(agentId, track);
  }

  return {
    measure(agentId) {
      let track = tracks.get(agentId);
      if (!track) {
        track = { samples: [], pending: null, sentInBurst: 0, estimate: null, settled: false, cancelRefresh: null };
        tracks.set(agentId, track);
      }
      startBurst(agentId, track);
    },
    pong(agentId, pingId, agentAt, receivedAt) {
      const track = tracks.get(agentId);
      const pending = track?.pending;
      if (!track || !pending || pending.id !== pingId) return;
      pending.cancelTimeout();
      track.pending = null;
      track.samples = [...track.samples, { sent_at: pending.sentAt, agent_at: agentAt, received_at: receivedAt }].slice(
        -keptSamples,
      );
      track.estimate = estimateClockOffset(track.samples);
      if (track.sentInBurst < burst) sendPing(agentId, track);
      else endBurst(agentId, track);
    },
    estimate: (agentId) => tracks.get(agentId)?.estimate ?? null,
    settled: (agentId) => tracks.get(agentId)?.settled ?? false,
    dispose() {
      for (const track of tracks.values()) {
        track.pending?.cancelTimeout();
        track.cancelRefresh?.();
      }
      tracks.clear();
    },
  };
}
