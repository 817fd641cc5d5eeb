// What the race page reads a race from, live (race-store.ts) or stored (stored-race.ts): one
// interface, so the page draws both the same way.
import type { LaneLive } from "../../../coordinator/protocol/messages.ts";
import type { RaceState } from "../../../coordinator/protocol/race-state.ts";
import type { MachineSample } from "../../../coordinator/protocol/runtime-sample.ts";
import type { SpeedSeries } from "../lib/speed-series.ts";

/** connecting: no snapshot yet; live: following deltas; reconnecting: waiting to dial again; closed: done. */
export type RaceConnection = "connecting" | "live" | "reconnecting" | "closed";

export interface RaceSource {
  state(): RaceState | null;
  /** the latest volatile figures of the lane's pass under way; null once that pass ends */
  live(laneId: string): LaneLive | null;
  /** the machine's runtime samples over the race, oldest first */
  samples(agentId: string): MachineSample[];
  connection(): RaceConnection;
  /** the last error message, if any */
  error(): string | null;
  /** each lane's speed over time */
  speeds(): SpeedSeries;
  /** an object URL of the lane's newest live image preview, where the source has them */
  preview?(laneId: string): string | null;
}
