/**
 * Numbers a job's events and keeps every one until the room acknowledges it, so nothing is lost
 * across a reconnect: the room's `job-assign` says what it holds and the rest is sent again.
 */
import type { JobEvent } from "../coordinator/protocol/job.ts";
import type { AgentToRace } from "../coordinator/protocol/messages.ts";
import { createKeptEvents, type SpillOptions } from "./kept-events.ts";

export interface JobOutbox {
  readonly jobId: string;
  /** numbers the event, keeps it, and sends it if a socket is up */
  push(event: JobEvent): void;
  /** the room holds every event up to `seq` */
  ack(seq: number): void;
  /** sends again every kept event from `fromSeq` on */
  resendFrom(fromSeq: number): void;
  /** the socket changed (or went away: null); kept events wait for `resendFrom` */
  attach(send: ((message: AgentToRace) => void) | null): void;
  /** highest seq handed out so far */
  lastSeq(): number;
  /** true once the terminal event was pushed and acknowledged */
  settled(): boolean;
}

export interface OutboxSpill extends SpillOptions {
  /** how long the socket may be gone before the kept events move to disk (the reconnect window) */
  afterMs: number;
}

/**
 * `heldByRoom`: events of this job the room already holds (from an earlier agent process); numbering
 * continues after them. `spill`: where kept events go on disk, past a memory bound or a long outage.
 */
export function createJobOutbox(
  jobId: string,
  onSettled: () => void,
  heldByRoom = 0,
  spill: OutboxSpill | null = null,
): JobOutbox {
  const kept = createKeptEvents(spill);
  let cancelSpill: (() => void) | null = null;
  let seq = heldByRoom;
  let terminalSeq: number | null = null;
  let ackedSeq = heldByRoom;
  let send: ((message: AgentToRace) => void) | null = null;
  const settled = () => terminalSeq !== null && ackedSeq >= terminalSeq;
  const transmit = (n: number, event: JobEvent) => send?.({ type: "job-event", job_id: jobId, seq: n, event });

  return {
    jobId,
    push(event) {
      seq += 1;
      kept.add(seq, event);
      if (event.type === "job-finish") terminalSeq = seq;
      transmit(seq, event);
    },
    ack(upTo) {
      if (upTo <= ackedSeq) return;
      kept.dropThrough(upTo);
      ackedSeq = upTo;
      if (settled()) onSettled();
    },
    resendFrom(fromSeq) {
      for (const entry of kept.range(Math.max(fromSeq, ackedSeq + 1), seq)) transmit(entry.seq, entry.event);
    },
    attach(next) {
      send = next;
      cancelSpill?.();
      cancelSpill = null;
      if (next === null && spill && !settled()) {
        const timer = setTimeout(() => kept.spill(), spill.afterMs);
        timer.unref();
        cancelSpill = () => clearTimeout(timer);
      }
    },
    lastSeq: () => seq,
    settled,
  };
}
