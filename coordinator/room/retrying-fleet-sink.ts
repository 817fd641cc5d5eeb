/**
 * A fleet sink that does not forget: when a write fails (the API restarting, say), the latest
 * change of that agent is kept and written again after a delay that doubles from `firstRetryMs`
 * up to `maxRetryMs`, unless a newer change of the same agent got through first. Rooms whose sink
 * is a network call (PartyKit) wrap it in this; the failed write still throws, so the caller logs it.
 */
import type { FleetChange } from "../protocol/api.ts";
import type { Logger } from "../protocol/logger.ts";
import type { Clock, FleetSink } from "./ports.ts";

export interface RetryingFleetSinkOptions {
  sink: FleetSink;
  clock: Clock;
  log: Logger;
  /** default 2 s */
  firstRetryMs?: number;
  /** default 30 s */
  maxRetryMs?: number;
}

const agentOf = (change: FleetChange) => (change.type === "agent-seen" ? change.agent.agent_id : change.agent_id);

export function createRetryingFleetSink(options: RetryingFleetSinkOptions): FleetSink {
  const { sink, clock, log } = options;
  const firstRetryMs = options.firstRetryMs ?? 2_000;
  const maxRetryMs = options.maxRetryMs ?? 30_000;
  /** the latest unwritten change per agent */
  const unwritten = new Map<string, FleetChange>();
  let failures = 0;
  let retryScheduled = false;

  const scheduleRetry = () => {
    if (retryScheduled) return;
    retryScheduled = true;
    const delayMs = Math.min(maxRetryMs, firstRetryMs * 2 ** failures);
    failures += 1;
    clock.setTimeout(() => {
      retryScheduled = false;
      void retry();
    }, delayMs);
  };

  async function retry(): Promise<void> {
    for (const [agentId, change] of [...unwritten]) {
      try {
        await sink.write(change);
        if (unwritten.get(agentId) === change) unwritten.delete(agentId);
      } catch (error) {
        log.warn("fleet sink still failing; retrying later", { agent_id: agentId, error: String(error) });
        scheduleRetry();
        return;
      }
    }
    failures = 0;
  }

  return {
    async write(change) {
      const agentId = agentOf(change);
      try {
        await sink.write(change);
        if (unwritten.get(agentId) !== undefined) unwritten.delete(agentId);
      } catch (error) {
        unwritten.set(agentId, change);
        scheduleRetry();
        throw error;
      }
    },
  };
}
