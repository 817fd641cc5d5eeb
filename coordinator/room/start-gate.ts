/**
 * The start gate: set-up, then a gate, then one start. Every lane prepares first (its agent says
 * `job-ready`); once the first lane of every machine is ready and the room knows each machine's
 * clock, they all get the same start instant, a little in the future in room time. A lane not ready
 * within the ready timeout does not hold the others: they start, it is marked late and starts on its
 * own once ready. Lanes that share a machine run one after another, so a machine's next lane gets
 * its own start instant when it is ready, and says which lane ran before it.
 */
import type { ClockEstimate } from "../protocol/clock-offset.ts";
import { isTerminalLane, type LaneState } from "../protocol/race-state.ts";
import type { Clock } from "./ports.ts";

export interface LaneGo {
  lane: LaneState;
  /** room clock */
  startAt: number;
  clock: ClockEstimate | null;
  afterLaneId: string | null;
  note: string | null;
}

export interface StartGateOptions {
  clock: Clock;
  /** runs `fn` on the room's serial queue (the ready timeout fires outside it) */
  enqueue(fn: () => void): void;
  /** how long the first lanes get to become ready before the ready ones start without the rest */
  readyTimeoutMs: number;
  lanes(): readonly LaneState[];
  /** whether the room has finished measuring the agent's clock (with or without an estimate) */
  clockSettled(agentId: string): boolean;
  clockOf(agentId: string): ClockEstimate | null;
  go(start: LaneGo): void;
  late(lane: LaneState, reason: string): void;
}

export interface StartGate {
  /** the race started and its lanes were assigned: the ready timeout runs from now */
  open(): void;
  /** something changed (a lane ready or ended, a clock measured): starts whatever may start */
  check(): void;
  dispose(): void;
}

/** The start instant is at least this far ahead, so the start reaches every agent before it. */
export const minStartLeadMs = 25;

export function createStartGate(options: StartGateOptions): StartGate {
  const { clock } = options;
  let opened = false;
  let commonStartDone = false;
  let timedOut = false;
  let cancelTimer: (() => void) | null = null;

  /** each machine's lane up next: its first lane that has not ended, when it has not started yet */
  function heads(): LaneState[] {
    const firstOpen = new Map<string, LaneState>();
    for (const lane of [...options.lanes()].sort((a, b) => a.index - b.index)) {
      if (!isTerminalLane(lane) && !firstOpen.has(lane.agent_id)) firstOpen.set(lane.agent_id, lane);
    }
    // a lane already running started without the gate (an agent that does not say job-ready)
    return [...firstOpen.values()].filter((lane) => lane.start_at === null && lane.status === "pending");
  }

  const canGo = (lane: LaneState) => lane.ready_at !== null && options.clockSettled(lane.agent_id);

  function laneBefore(lane: LaneState): string | null {
    const earlier = options
      .lanes()
      .filter((other) => other.agent_id === lane.agent_id && other.index < lane.index)
      .sort((a, b) => b.index - a.index);
    return earlier[0]?.lane_id ?? null;
  }

  function startLane(lane: LaneState, startAt: number, lateNote: string | null): void {
    const estimate = options.clockOf(lane.agent_id);
    const unmeasured =
      estimate === null
        ? "The agent did not answer the clock check, so it started on the room's word and its skew is counted on arrival (an upper bound)."
        : null;
    options.go({
      lane,
      startAt,
      clock: estimate,
      afterLaneId: laneBefore(lane),
      note: [lateNote, unmeasured].filter((part) => part !== null).join(" ") || null,
    });
  }

  function startInstant(lanes: readonly LaneState[]): number {
    const slowestTrip = Math.max(0, ...lanes.map((lane) => options.clockOf(lane.agent_id)?.rtt_ms ?? 0));
    return clock.now() + Math.max(minStartLeadMs, Math.ceil(2 * slowestTrip) + 10);
  }

  function check(): void {
    if (!opened) return;
    const waiting = heads();
    if (!commonStartDone) {
      const ready = waiting.filter(canGo);
      if (ready.length < waiting.length && !timedOut) return;
      commonStartDone = true;
      cancelTimer?.();
      const startAt = startInstant(ready);
      for (const lane of ready) startLane(lane, startAt, null);
      for (const lane of waiting.filter((lane) => !canGo(lane))) {
        options.late(
          lane,
          `Not ready within ${options.readyTimeoutMs / 1000} s of the race start, so the other machines started without it; it starts on its own once ready and its time is not comparable.`,
        );
      }
      return;
    }
    for (const lane of waiting.filter(canGo)) {
      startLane(lane, startInstant([lane]), lane.start_note);
    }
  }

  return {
    open() {
      if (opened) return;
      opened = true;
      cancelTimer = clock.setTimeout(
        () =>
          options.enqueue(() => {
            timedOut = true;
            check();
          }),
        options.readyTimeoutMs,
      );
      check();
    },
    check,
    dispose() {
      cancelTimer?.();
    },
  };
}
