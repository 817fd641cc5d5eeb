// Runs side by side (/compare?ids=a,b&baseline=a): for each machine and model, the median of the
// workload's ranking metric in each run, with its change against the pinned baseline coloured
// better or worse. Pinning a baseline keeps it in the address, so the comparison can be shared.
import { A, useSearchParams } from "@solidjs/router";
import { createMemo, createResource, For, Show } from "solid-js";
import type { RunView } from "../../../coordinator/protocol/api.ts";
import { ErrorAlert } from "../components/error-alert.tsx";
import { api } from "../lib/api-client.ts";
import { compareRuns, parseCompareIds } from "../lib/compare-runs.ts";
import { errorText } from "../lib/error-text.ts";
import { formatDecimal, formatTime } from "../lib/format.ts";
import { pageTitle, useDocumentTitle } from "../lib/use-document-title.ts";
import { workloadView } from "../workloads/registry.ts";

const runLabel = (run: RunView): string => run.name ?? `${run.workload} ${run.id.slice(0, 8)}`;

export function ComparePage() {
  useDocumentTitle(() => pageTitle("Compare"));
  const [search, setSearch] = useSearchParams();
  const ids = () => parseCompareIds(search.ids);
  const [runs] = createResource(
    () => ids().join(","),
    (joined) =>
      Promise.all(
        joined
          .split(",")
          .filter(Boolean)
          .map((id) => api.getRun(id)),
      ),
  );
  const baselineId = () => {
    const wanted = Array.isArray(search.baseline) ? search.baseline[0] : search.baseline;
    return ids().includes(wanted ?? "") ? (wanted ?? null) : (ids()[0] ?? null);
  };
  const workloads = () => [...new Set((runs() ?? []).map((run) => run.workload))];
  const metric = createMemo(() => {
    const first = runs()?.[0];
    return first ? (workloadView(first.workload)?.rankingMetrics(first.params)[0] ?? null) : null;
  });
  const rows = createMemo(() => {
    const chosen = metric();
    return chosen && runs() ? compareRuns(runs() ?? [], chosen, baselineId()) : [];
  });

  return (
    <section>
      <h1>Compare runs</h1>
      <Show
        when={ids().length >= 2}
        fallback={
          <p class="muted">
            Tick two or more runs on the <A href="/runs">Runs</A> page, then Compare.
          </p>
        }
      >
        <ErrorAlert message={runs.error ? errorText(runs.error) : null} />
        <ErrorAlert
          message={
            workloads().length > 1 &&
            `These runs are of different workloads (${workloads().join(", ")}); compare runs of one workload.`
          }
        />
        <Show when={runs() && metric()}>
          <p class="muted">
            Median {metric()?.label.toLowerCase()} per machine and model; changes are against the baseline.
          </p>
          <div class="table-wrap">
            <table class="compare-table" data-testid="compare-table">
              <thead>
                <tr>
                  <th>Machine · model</th>
                  <For each={runs()}>
                    {(run) => (
                      <th>
                        <A href={`/runs/${encodeURIComponent(run.id)}`}>{runLabel(run)}</A>
                        <div class="muted">{formatTime(run.created_at)}</div>
                        <Show
                          when={run.id === baselineId()}
                          fallback={
                            <button
                              type="button"
                              class="link"
                              data-testid="pin-baseline"
                              onClick={() => setSearch({ baseline: run.id })}
                            >
                              Pin as baseline
                            </button>
                          }
                        >
                          <span class="badge" data-testid="baseline-badge">
                            baseline
                          </span>
                        </Show>
                      </th>
                    )}
                  </For>
                </tr>
              </thead>
              <tbody>
                <For each={rows()}>
                  {(row) => (
                    <tr data-testid="compare-row">
                      <td>{row.key}</td>
                      <For each={row.cells}>
                        {(cell) => (
                          <td data-testid="compare-cell">
                            {cell.median === null ? "—" : (metric()?.format(cell.median) ?? "—")}
                            <Show when={cell.change_percent}>
                              {(change) => (
                                <span
                                  class="delta"
                                  classList={{ better: cell.better === true, worse: cell.better === false }}
                                  data-testid="compare-delta"
                                >
                                  {" "}
                                  {change() > 0 ? "+" : "−"}
                                  {formatDecimal(Math.abs(change()), 1)} %
                                </span>
                              )}
                            </Show>
                          </td>
                        )}
                      </For>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
      </Show>
    </section>
  );
}
