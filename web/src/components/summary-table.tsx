// The race's standings: one row per lane, placed by rankLanes. For compute the measure column is
// the median of the measured passes (elapsed time, or passes/s for the drag race), with min, max
// and stdev when there are repeats; other workloads show when each lane finished.
import { For, Show } from "solid-js";
import type { RaceState } from "../../../coordinator/protocol/race-state.ts";
import { formatDecimal, formatDuration, formatInteger } from "../lib/format.ts";
import { latestResult, numberMetric } from "../lib/lane-metrics.ts";
import { type RankedLane, rankingMetric, rankLanes } from "../lib/rank-lanes.ts";
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
  const metric = () => rankingMetric(props.state).name;
  const spread = () => metric() !== null && props.state.run.repeats > 1;
  const format = (value: number | undefined): string => {
    if (value === undefined) return "—";
    return metric() === "passes_per_sec" ? `${formatDecimal(value, 2)} passes/s` : formatDuration(value);
  };
  const measureLabel = () => {
    const name = metric() === "passes_per_sec" ? "Passes/s" : "Elapsed";
    return spread() ? `Median ${name.toLowerCase()}` : name;
  };

  return (
    <div class="table-wrap">
      <table class="summary-table" data-testid="summary-table">
        <thead>
          <tr>
            <th>Place</th>
            <th>Machine</th>
            <th>Status</th>
            <Show when={metric() !== null} fallback={<th>Finished after</th>}>
              <th>{measureLabel()}</th>
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
                <Show when={metric() !== null} fallback={<td>{duration(row.finishedAfterMs)}</td>}>
                  <td data-testid="median">{format(row.measure?.median)}</td>
                  <Show when={spread()}>
                    <td>{format(row.measure?.min)}</td>
                    <td>{format(row.measure?.max)}</td>
                    <td>{format(row.measure?.stdev)}</td>
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
