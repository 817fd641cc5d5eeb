// Past races, newest first: filter by workload, status, machine and model (kept in the address, so
// a filtered list can be shared or reloaded), page back with the API's cursor, open any race or
// download its results and events; tick two or more to compare them; the operator can delete one
// (after confirming).
import { A, useSearchParams } from "@solidjs/router";
import { createEffect, createSignal, For, on, Show } from "solid-js";
import type { RunListItem } from "../../../coordinator/protocol/api.ts";
import { runStatuses, workloads } from "../../../coordinator/protocol/enums.ts";
import { ErrorAlert } from "../components/error-alert.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import { api, eventsUrl, exportUrl } from "../lib/api-client.ts";
import { errorText } from "../lib/error-text.ts";
import { formatDuration, formatTime } from "../lib/format.ts";
import {
  describeNoRuns,
  hasRunFilters,
  parseRunFilters,
  type RunFilters,
  runDateRange,
  runFilterKeys,
  runFiltersKey,
} from "../lib/run-filters.ts";
import { pageTitle, useDocumentTitle } from "../lib/use-document-title.ts";
import { useSession } from "../stores/session-store.tsx";
import { describeRunParams } from "../workloads/registry.ts";

/** Runs fetched per page. */
const pageSize = 25;

export function RunsPage() {
  useDocumentTitle(() => pageTitle("Runs"));
  const [search, setSearch] = useSearchParams();
  const filters = () => parseRunFilters(search);
  const filtersKey = () => runFiltersKey(filters());
  /** sets one filter in the address; an empty value removes it */
  const setFilter = (key: (typeof runFilterKeys)[number], value: string) =>
    setSearch({ [key]: value.trim() || undefined });
  const clearFilters = () => setSearch(Object.fromEntries(runFilterKeys.map((key) => [key, undefined])));
  const [runs, setRuns] = createSignal<RunListItem[]>([]);
  const [cursor, setCursor] = createSignal<string | null>(null);
  const [loading, setLoading] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const session = useSession();
  const [picked, setPicked] = createSignal<readonly string[]>([]);
  const togglePicked = (id: string, on: boolean) =>
    setPicked((before) =>
      on ? [...before.filter((other) => other !== id), id] : before.filter((other) => other !== id),
    );
  const compareHref = () => `/compare?ids=${picked().map(encodeURIComponent).join(",")}`;

  const remove = async (run: RunListItem) => {
    const what = `${run.workload} race ${run.id.slice(0, 8)}`;
    if (!window.confirm(`Delete the ${what} with its results and events? Its share link stops working.`)) return;
    setError(null);
    try {
      await api.deleteRun(run.id);
      setRuns((before) => before.filter((other) => other.id !== run.id));
    } catch (cause) {
      setError(errorText(cause));
    }
  };

  const load = async (filter: RunFilters, after: string | null) => {
    const key = runFiltersKey(filter);
    setLoading(true);
    setError(null);
    try {
      const { since: _since, until: _until, ...rest } = filter;
      const query = { ...rest, ...runDateRange(filter), limit: pageSize, cursor: after ?? undefined };
      const page = await api.listRuns(query);
      if (key !== filtersKey()) return;
      setRuns((before) => (after === null ? page.runs : [...before, ...page.runs]));
      setCursor(page.next_cursor ?? null);
    } catch (cause) {
      setError(errorText(cause));
    } finally {
      setLoading(false);
    }
  };

  createEffect(
    on(filtersKey, () => {
      setRuns([]);
      setCursor(null);
      void load(filters(), null);
    }),
  );

  return (
    <section>
      <div class="list-head">
        <h1>Runs</h1>
        <div class="run-filters" data-testid="run-filters">
          <label>
            Workload
            <select
              name="workload"
              value={filters().workload ?? ""}
              onChange={(event) => setFilter("workload", event.currentTarget.value)}
            >
              <option value="">all</option>
              <For each={workloads}>{(name) => <option value={name}>{name}</option>}</For>
            </select>
          </label>
          <label>
            Status
            <select
              name="status"
              value={filters().status ?? ""}
              onChange={(event) => setFilter("status", event.currentTarget.value)}
            >
              <option value="">all</option>
              <For each={runStatuses}>{(name) => <option value={name}>{name}</option>}</For>
            </select>
          </label>
          <label>
            Machine
            <input
              name="agent"
              type="search"
              placeholder="any"
              value={filters().agent ?? ""}
              onChange={(event) => setFilter("agent", event.currentTarget.value)}
            />
          </label>
          <label>
            Model
            <input
              name="model"
              type="search"
              placeholder="any"
              value={filters().model ?? ""}
              onChange={(event) => setFilter("model", event.currentTarget.value)}
            />
          </label>
          <label>
            From
            <input
              name="since"
              type="date"
              value={filters().since ?? ""}
              onChange={(event) => setFilter("since", event.currentTarget.value)}
            />
          </label>
          <label>
            To
            <input
              name="until"
              type="date"
              value={filters().until ?? ""}
              onChange={(event) => setFilter("until", event.currentTarget.value)}
            />
          </label>
        </div>
      </div>

      <ErrorAlert message={error()} />

      <Show
        when={runs().length > 0 || loading()}
        fallback={
          <p class="muted" data-testid="runs-empty" hidden={error() !== null}>
            {describeNoRuns(filters())}
            <Show when={hasRunFilters(filters())}>
              {" "}
              <button type="button" class="link" onClick={clearFilters} data-testid="clear-filters">
                Clear filters
              </button>
            </Show>
          </p>
        }
      >
        <div class="table-wrap">
          <table class="runs-table" data-testid="runs-table">
            <thead>
              <tr>
                <th>Compare</th>
                <th>Race</th>
                <th>Status</th>
                <th>Machines</th>
                <th>Parameters</th>
                <th>Created</th>
                <th>Took</th>
                <th>Export</th>
                <Show when={session.operator()}>
                  <th aria-label="Delete" />
                </Show>
              </tr>
            </thead>
            <tbody>
              <For each={runs()}>
                {(run) => (
                  <RunRow
                    run={run}
                    picked={picked().includes(run.id)}
                    onPick={(on) => togglePicked(run.id, on)}
                    onDelete={session.operator() ? () => remove(run) : undefined}
                  />
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>

      <div class="pager">
        <Show when={picked().length >= 2}>
          <A href={compareHref()} class="button-link" data-testid="compare-link">
            Compare {picked().length} runs
          </A>
        </Show>
        <Show when={loading()}>
          <span class="muted">Loading…</span>
        </Show>
        <Show when={cursor() !== null && !loading()}>
          <button type="button" onClick={() => load(filters(), cursor())} data-testid="older-button">
            Older
          </button>
        </Show>
      </div>
    </section>
  );
}

function RunRow(props: { run: RunListItem; picked: boolean; onPick(on: boolean): void; onDelete?: () => void }) {
  const took = () => {
    const { started_at, finished_at } = props.run;
    return started_at && finished_at ? formatDuration(Date.parse(finished_at) - Date.parse(started_at)) : "—";
  };
  const href = () => `/runs/${encodeURIComponent(props.run.id)}`;
  return (
    <tr data-testid="run-row">
      <td data-label="Compare">
        <input
          type="checkbox"
          aria-label={`Compare ${props.run.name ?? props.run.id}`}
          data-testid="compare-pick"
          checked={props.picked}
          onChange={(event) => props.onPick(event.currentTarget.checked)}
        />
      </td>
      <td data-label="Race" class="card-title">
        <A href={href()}>
          <Show
            when={props.run.name}
            fallback={
              <>
                {props.run.workload} <code>{props.run.id.slice(0, 8)}</code>
              </>
            }
          >
            {(name) => name()}
          </Show>
        </A>
        <Show when={props.run.name}>
          <span class="muted"> · {props.run.workload}</span>
        </Show>
      </td>
      <td data-label="Status">
        <StatusBadge status={props.run.status} />
      </td>
      <td data-label="Machines">{props.run.lanes.map((lane) => lane.agent_name).join(", ") || "—"}</td>
      <td data-label="Parameters">{describeRunParams(props.run.workload, props.run.params)}</td>
      <td data-label="Created">{formatTime(props.run.created_at)}</td>
      <td data-label="Took">{took()}</td>
      <td data-label="Export">
        <span class="exports">
          <a href={exportUrl(props.run.id, "csv")} download="">
            CSV
          </a>
          <a href={exportUrl(props.run.id, "json")} download="">
            JSON
          </a>
          <a href={eventsUrl(props.run.id)} download={`bench-race-${props.run.id}-events.ndjson`}>
            events (NDJSON)
          </a>
        </span>
      </td>
      <Show when={props.onDelete}>
        {(onDelete) => (
          <td>
            <button type="button" class="danger" onClick={() => onDelete()()} data-testid="delete-run">
              Delete
            </button>
          </td>
        )}
      </Show>
    </tr>
  );
}
