// A RaceState drawn from the API's RunView: what the race page shows before the room's snapshot
// arrives, and for a finished run whose events are gone. It has no progress lines or seq.
import type { RunView } from "../../../coordinator/protocol/api.ts";
import type { RaceState } from "../../../coordinator/protocol/race-state.ts";

const toEpoch = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

export function raceStateFromRun(run: RunView): RaceState {
  return {
    run: {
      id: run.id,
      workload: run.workload,
      params: run.params,
      repeats: run.repeats,
      warmup: run.warmup,
      created_at: Date.parse(run.created_at),
    },
    status: run.status,
    started_at: toEpoch(run.started_at),
    finished_at: toEpoch(run.finished_at),
    seq: 0,
    lanes: run.lanes.map((lane) => ({
      lane_id: lane.lane_id,
      index: lane.index,
      agent_id: lane.agent_id,
      agent_name: lane.agent_name,
      backend: lane.backend,
      model: lane.model,
      params: lane.params,
      status: lane.status,
      error: lane.error,
      ready_at: null,
      start_at: toEpoch(lane.start_at),
      start_skew_ms: lane.start_skew_ms,
      start_skew_uncertainty_ms: lane.start_skew_uncertainty_ms,
      clock_offset_ms: lane.clock_offset_ms,
      ran_after: lane.ran_after,
      start_note: lane.start_note,
      provenance: lane.provenance,
      current: null,
      lines: [],
      text: "",
      results: lane.results,
      started_at: null,
      finished_at: null,
    })),
  };
}

/**
 * A replayed race corrected by the API's RunView: the stored events end where the coordinator
 * stopped, so a run closed later (interrupted by a restart) keeps the run's status, finish time and
 * each unfinished lane's final status and error from the API.
 */
export function withRunOutcome(replayed: RaceState, run: RunView): RaceState {
  const byId = new Map(run.lanes.map((lane) => [lane.lane_id, lane]));
  return {
    ...replayed,
    status: run.status,
    finished_at: replayed.finished_at ?? toEpoch(run.finished_at),
    lanes: replayed.lanes.map((lane) => {
      const stored = byId.get(lane.lane_id);
      if (!stored || stored.status === lane.status) return lane;
      return { ...lane, status: stored.status, error: stored.error ?? lane.error, current: null };
    }),
  };
}
