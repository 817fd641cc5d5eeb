/**
 * Batches a race's stored events to its run sink: every `flushMs`, and at once when the race
 * finishes. A batch carries the events and only the lanes whose stored fields changed, never the
 * whole state with its text. A failed write is retried with everything that came since, after a
 * delay that doubles from 20 flush intervals up to `maxRetryMs`; writes are idempotent (events by
 * seq, lanes by id), so a write that reached the sink but whose answer was lost does no harm.
 */
import type { Logger } from "../protocol/logger.ts";
import { type RaceState, type StoredEvent, toLaneRecord } from "../protocol/race-state.ts";
import type { MachineSample } from "../protocol/runtime-sample.ts";
import type { Clock, RunSink } from "./ports.ts";

export interface RunSinkBatcher {
  /** queues an event; `changedLanes` are the ids of lanes whose stored fields it changed */
  add(stored: StoredEvent, changedLanes: Iterable<string>): void;
  /** queues a runtime sample of one of the race's machines */
  addSample(sample: MachineSample): void;
  /** writes what is queued now; resolves when every write so far has been tried */
  flush(): Promise<void>;
  /** true while events wait to be written */
  pending(): boolean;
  dispose(): void;
}

export interface RunSinkBatcherOptions {
  runId: string;
  sink: RunSink;
  clock: Clock;
  log: Logger;
  /** the room's state now */
  state: () => RaceState | null;
  /** runs the flush on the room's serial queue */
  enqueue: (fn: () => Promise<void>) => void;
  flushMs: number;
  /** the sink stored every event up to `seq` (`over`: the race had finished) */
  written?(seq: number, over: boolean): void;
}

/** The longest wait between two tries of a failing sink, in milliseconds. */
export const maxRetryMs = 30_000;

export function createRunSinkBatcher(options: RunSinkBatcherOptions): RunSinkBatcher {
  const { runId, sink, clock, log, flushMs } = options;
  let events: StoredEvent[] = [];
  let samples: MachineSample[] = [];
  let dirty = new Set<string>();
  let cancelTimer: (() => void) | null = null;
  let chain: Promise<void> = Promise.resolve();
  let failures = 0;

  const schedule = (ms: number) => {
    cancelTimer ??= clock.setTimeout(() => options.enqueue(flush), ms);
  };

  function flush(): Promise<void> {
    cancelTimer?.();
    cancelTimer = null;
    const state = options.state();
    if (!state || (events.length === 0 && samples.length === 0)) return chain;
    const lanes = state.lanes.filter((lane) => dirty.has(lane.lane_id)).map(toLaneRecord);
    const run = { status: state.status, started_at: state.started_at, finished_at: state.finished_at, seq: state.seq };
    const batch = { run_id: runId, events, run, lanes, ...(samples.length > 0 ? { samples } : {}) };
    const sentDirty = dirty;
    events = [];
    samples = [];
    dirty = new Set();
    chain = chain
      .then(() => sink.write(batch))
      .then(() => {
        failures = 0;
        if (events.length > 0) schedule(flushMs);
        options.written?.(run.seq, run.finished_at !== null && events.length === 0);
      })
      .catch((err: unknown) => {
        const retryMs = Math.min(maxRetryMs, flushMs * 20 * 2 ** failures);
        failures += 1;
        log.error("run sink write failed; retrying", { run_id: runId, retry_ms: retryMs, error: String(err) });
        events = [...batch.events, ...events];
        samples = [...(batch.samples ?? []), ...samples];
        dirty = new Set([...sentDirty, ...dirty]);
        cancelTimer?.();
        cancelTimer = null;
        schedule(retryMs);
      });
    return chain;
  }

  return {
    add(stored, changedLanes) {
      events.push(stored);
      for (const id of changedLanes) dirty.add(id);
      if (stored.event.type === "race-finish") void flush();
      // while the sink fails, the retry's backoff decides when to write next
      else if (failures === 0) schedule(flushMs);
    },
    addSample(sample) {
      samples.push(sample);
      schedule(flushMs * 10);
    },
    flush,
    pending: () => events.length > 0 || samples.length > 0,
    dispose() {
      cancelTimer?.();
      cancelTimer = null;
    },
  };
}
