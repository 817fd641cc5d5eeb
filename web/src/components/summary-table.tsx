// The race's standings: one row per lane, placed by rankLanes. For compute the time column is
// the median elapsed_ms of the measured passes, with min, max and stdev when there are repeats.
import { For, Show } from "solid-js";
import type { RaceState } from "../../../coordinator/protocol/race-state.ts";
import { formatDuration, formatInteger } from "../lib/format.ts";
import { latestResult, numberMetric } from "../lib/lane-metrics.ts";
import { type RankedLane, rankLanes } from "../lib/rank-lanes.ts";
import { StatusBadge } from "./status-badge.tsx";

const duration = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? "—" : formatDuration(ms);

function primesFound(row: RankedLane): string {
  const result = latestResult(row.lane);
  const primes = result ? numberMetric(result.metrics, "primes_found") : null;
  return primes === null ? "—" : formatInteger(primes);
}

export function SummaryTable(props: { state: RaceState }) {
  const rows = () => rankLanes(props.state);
  const compute = () => props.state.run.workload === "compute";
  const spread = () => compute() && props.state.run.repeats > 1;

  return (
    <div class="table-wrap">
      <table class="summary-table" data-testid="summary-table">
        <thead>
          <tr>
            <th>Place</th>
            <th>Machine</th>
            <th>Status</th>
            <Show when={compute()} fallback={<th>Finished after</th>}>
              <th>{spread() ? "Median" : "Elapsed"}</th>
              <Show when={spread()}>
                <th>Min</th>
                <th>Max</th>
                <th>Stdev</th>
              </Show>
              <th>Primes found</th>
            </Show>
          </tr>
        </thead>
        <tbody>
          <For each={rows()}>
            {(row) => (
              <tr data-testid="summary-row" data-agent-name={row.lane.agent_name} classList={{ mock: row.mock }}>
                <td data-testid="place">{row.place ?? "—"}</td>
                <td>
                  {row.lane.agent_name}
                  <Show when={row.mock}>
                    <span class="mock-tag" title="Results from the mock engine are not ranked">
                      mock
                    </span>
                  </Show>
                </td>
                <td>
                  <StatusBadge status={row.lane.status} />
                </td>
                <Show when={compute()} fallback={<td>{duration(row.finishedAfterMs)}</td>}>
                  <td data-testid="median-elapsed">{duration(row.elapsed?.median)}</td>
                  <Show when={spread()}>
                    <td>{duration(row.elapsed?.min)}</td>
                    <td>{duration(row.elapsed?.max)}</td>
                    <td>{duration(row.elapsed?.stdev)}</td>
                  </Show>
                  <td>{primesFound(row)}</td>
                </Show>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
