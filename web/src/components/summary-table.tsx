// The race's standings: one row per lane, placed by rankLanes on the chosen metric (the median of
// the measured passes, with min, max and stdev when there are repeats), then the workload's own
// result columns. Mock lanes are listed, marked, and never placed; the gap to the leader reads
// like a race ("+0.53 s, 9 % slower"); a lane whose model digest or engine version differs from
// the other machines' is marked. Clicking a column heading sorts by it (again: the other way).
import { createMemo, createSignal, For, type JSX, Show } from "solid-js";
import type { RaceState } from "../../../coordinator/protocol/race-state.ts";
import { gapsToLeader } from "../lib/gap-to-leader.ts";
import { findProvenanceMismatches } from "../lib/provenance-mismatch.ts";
import { type RankingMetric, rankLanes } from "../lib/rank-lanes.ts";
import { nextSort, type StandingsSort, type StandingsSortKey, sortStandings } from "../lib/sort-standings.ts";
import { workloadView } from "../workloads/registry.ts";
import { StatusBadge } from "./status-badge.tsx";

export function SummaryTable(props: {
  state: RaceState;
  /** the metric to place lanes by; the workload's default when left out */
  metric?: RankingMetric | null;
}) {
  const view = () => workloadView(props.state.run.workload);
  const metric = (): RankingMetric | null =>
    props.metric === undefined ? (view()?.rankingMetrics(props.state.run.params)[0] ?? null) : props.metric;
  const columns = () => view()?.summaryColumns ?? [];
  const ranked = createMemo(() => rankLanes(props.state, metric()));
  const gaps = createMemo(() => gapsToLeader(ranked(), metric()));
  const [sort, setSort] = createSignal<StandingsSort>({ key: "place", descending: false });
  const rows = createMemo(() => sortStandings(ranked(), sort()));
  /** a heading that sorts the table by `key` */
  const SortHead = (head: { key: StandingsSortKey; children: JSX.Element }) => (
    <th aria-sort={sort().key === head.key ? (sort().descending ? "descending" : "ascending") : "none"}>
      <button
        type="button"
        class="sort-head"
        data-testid={`sort-${head.key}`}
        onClick={() => setSort(nextSort(sort(), head.key))}
      >
        {head.children}
        {sort().key === head.key ? (sort().descending ? " ▼" : " ▲") : ""}
      </button>
    </th>
  );
  const mismatches = createMemo(() => findProvenanceMismatches(props.state.lanes));
  const spread = () => metric() !== null && props.state.run.repeats > 1;
  const format = (value: number | undefined): string => {
    const chosen = metric();
    return value === undefined || chosen === null ? "—" : chosen.format(value);
  };
  const measureLabel = () => {
    const label = metric()?.label ?? "";
    return spread() ? `Median ${label.toLowerCase()}` : label;
  };

  return (
    <div class="table-wrap">
      <table class="summary-table" data-testid="summary-table">
        <thead>
          <tr>
            <SortHead key="place">Place</SortHead>
            <SortHead key="machine">Machine</SortHead>
            <th>Status</th>
            <Show when={metric() !== null}>
              <SortHead key="median">{measureLabel()}</SortHead>
              <th>Gap</th>
              <Show when={spread()}>
                <SortHead key="min">Min</SortHead>
                <SortHead key="max">Max</SortHead>
                <SortHead key="stdev">Stdev</SortHead>
              </Show>
            </Show>
            <For each={columns()}>{(column) => <th>{column.label}</th>}</For>
          </tr>
        </thead>
        <tbody>
          <For each={rows()}>
            {(row) => (
              <tr data-testid="summary-row" data-agent-name={row.lane.agent_name} classList={{ mock: row.mock }}>
                <td data-label="Place" data-testid="place">
                  {row.place ?? "—"}
                </td>
                <td data-label="Machine" class="card-title">
                  {row.lane.agent_name}
                  <Show when={row.mock}>
                    <span class="mock-tag" title="Results from the mock engine are not ranked">
                      mock
                    </span>
                  </Show>
                  <Show when={mismatches().get(row.lane.lane_id)}>
                    {(mismatch) => (
                      <span
                        class="mismatch-tag"
                        data-testid="provenance-mismatch"
                        title={`This lane's ${mismatch().field} is ${mismatch().value}; the others ran ${mismatch().usual}, so its numbers compare a different build.`}
                      >
                        ⚠ {mismatch().field} differs
                      </span>
                    )}
                  </Show>
                </td>
                <td data-label="Status">
                  <StatusBadge status={row.lane.status} />
                </td>
                <Show when={metric() !== null}>
                  <td data-label={measureLabel()} data-testid="median">
                    {format(row.measure?.median)}
                  </td>
                  <td data-label="Gap" data-testid="gap">
                    {gaps().get(row.lane.lane_id) ?? "—"}
                  </td>
                  <Show when={spread()}>
                    <td data-label="Min">{format(row.measure?.min)}</td>
                    <td data-label="Max">{format(row.measure?.max)}</td>
                    <td data-label="Stdev">{format(row.measure?.stdev)}</td>
                  </Show>
                </Show>
                <For each={columns()}>{(column) => <td data-label={column.label}>{column.value(row.lane)}</td>}</For>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </div>
  );
}
