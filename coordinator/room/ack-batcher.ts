/**
 * Cumulative acknowledgements of agents' job events: one ack per job per tick, carrying the highest
 * seq applied, sent sooner after many events, on a job's last event, or to answer a duplicate.
 */
import type { Clock } from "./ports.ts";

/** Events applied past the last ack after which the ack goes out before the tick. */
const ackEveryEvents = 64;

export interface AckedJob {
  /** highest seq applied; every event up to it is in */
  appliedSeq: number;
  /** highest seq acknowledged to the agent */
  ackedSeq: number;
}

export interface AckBatcher<J extends AckedJob> {
  /** `job` applied events (or saw a duplicate); `now` sends every due ack at once */
  due(job: J, now: boolean): void;
  dispose(): void;
}

export function createAckBatcher<J extends AckedJob>(options: {
  clock: Clock;
  tickMs: number;
  /** sends the ack of `job` for `seq`; false when the job's agent has no socket now */
  send(job: J, seq: number): boolean;
  /** runs the tick's flush on the room's serial queue */
  enqueue(fn: () => void): void;
}): AckBatcher<J> {
  const pending = new Set<J>();
  let cancelTimer: (() => void) | null = null;

  const flush = () => {
    cancelTimer?.();
    cancelTimer = null;
    for (const job of pending) if (options.send(job, job.appliedSeq)) job.ackedSeq = job.appliedSeq;
    pending.clear();
  };

  return {
    due(job, now) {
      pending.add(job);
      if (now || job.appliedSeq - job.ackedSeq >= ackEveryEvents) flush();
      else cancelTimer ??= options.clock.setTimeout(() => options.enqueue(flush), options.tickMs);
    },
    dispose() {
      cancelTimer?.();
      cancelTimer = null;
    },
  };
}
