// The live race page, which is also the share link: a finished run is rebuilt by replaying its
// stored events; a live one follows the race room's snapshot and deltas over a WebSocket.
import { useNavigate, useParams } from "@solidjs/router";
import { createMemo, createResource, createSignal, For, Match, onCleanup, Show, Switch } from "solid-js";
import type { RunView } from "../../../coordinator/protocol/api.ts";
import { terminalRunStatuses } from "../../../coordinator/protocol/enums.ts";
import type { LaneLive } from "../../../coordinator/protocol/messages.ts";
import type { RaceState } from "../../../coordinator/protocol/race-state.ts";
import type { MachineSample } from "../../../coordinator/protocol/runtime-sample.ts";
import { LaneCard } from "../components/lane-card.tsx";
import { ShareBox } from "../components/share-box.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import { SummaryTable } from "../components/summary-table.tsx";
import { api, exportUrl } from "../lib/api-client.ts";
import { formatTime } from "../lib/format.ts";
import { laneAheadOnMachine } from "../lib/lane-waiting-turn.ts";
import { raceStateFromRun, withRunOutcome } from "../lib/race-state-from-run.ts";
import { replayEvents } from "../lib/replay-events.ts";
import { pageTitle, useDocumentTitle } from "../lib/use-document-title.ts";
import { createRaceStore, type RaceConnection, viewerUrl } from "../stores/race-store.ts";
import { useSession } from "../stores/session-store.tsx";
import { describeRunParams, workloadView } from "../workloads/registry.ts";

const errorText = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause));

export function RacePage() {
  const params = useParams<{ id: string }>();
  useDocumentTitle(() => pageTitle("Race"));
  const [run] = createResource(
    () => params.id,
    (id) => api.getRun(id),
  );
  return (
    <Switch>
      <Match when={run.error}>
        {(cause) => (
          <p class="error" role="alert">
            {errorText(cause())}
          </p>
        )}
      </Match>
      <Match when={run()} keyed>
        {(loaded) => <RaceView run={loaded} />}
      </Match>
      <Match when={run.loading}>
        <p class="muted">Loading race…</p>
      </Match>
    </Switch>
  );
}

interface RaceSource {
  state(): RaceState | null;
  live(laneId: string): LaneLive | null;
  samples(agentId: string): MachineSample[];
  connection(): RaceConnection;
  error(): string | null;
  /** live image previews, where the source has them */
  preview?(laneId: string): string | null;
}

/** A finished run: its events replayed once; the RunView stands in if it has none. */
function replayedSource(run: RunView): RaceSource {
  const [state, setState] = createSignal<RaceState>(raceStateFromRun(run));
  const [error, setError] = createSignal<string | null>(null);
  api.getRunEvents(run.id).then(
    (events) => {
      const replayed = replayEvents(events);
      if (replayed) setState(withRunOutcome(replayed, run));
    },
    (cause: unknown) => setError(`Could not load the race's events: ${errorText(cause)}`),
  );
  const [samples, setSamples] = createSignal<MachineSample[]>([]);
  // samples are a bonus: a run stored without them still shows its results
  api.getRunSamples(run.id).then(setSamples, () => setSamples([]));
  return {
    state,
    live: () => null,
    samples: (agentId) => samples().filter((sample) => sample.agent_id === agentId),
    connection: () => "closed",
    error,
  };
}

function RaceView(props: { run: RunView }) {
  const run = props.run;
  const store = terminalRunStatuses.includes(run.status)
    ? null
    : createRaceStore({ url: viewerUrl(run.id), initial: raceStateFromRun(run) });
  if (store) onCleanup(() => store.close());
  const source: RaceSource = store ?? replayedSource(run);

  const session = useSession();
  const navigate = useNavigate();
  const [cancelError, setCancelError] = createSignal<string | null>(null);
  const [cancelling, setCancelling] = createSignal(false);
  const [deleting, setDeleting] = createSignal(false);
  const status = () => source.state()?.status ?? run.status;
  useDocumentTitle(() => pageTitle(`${run.workload} race`, status()));
  /** only a run followed over the room's socket is live; a stored one never offers controls */
  const live = () => store !== null && !terminalRunStatuses.includes(status());
  const metrics = createMemo(() => workloadView(run.workload)?.rankingMetrics(run.params) ?? []);
  const [metricName, setMetricName] = createSignal<string | null>(null);
  const metric = () => metrics().find((choice) => choice.name === metricName()) ?? metrics()[0] ?? null;
  const cancel = async () => {
    if (!window.confirm("Cancel this race? Every machine stops where it is; the results so far are kept.")) return;
    setCancelError(null);
    setCancelling(true);
    try {
      await api.cancelRun(run.id);
    } catch (cause) {
      setCancelError(errorText(cause));
    } finally {
      setCancelling(false);
    }
  };

  const remove = async () => {
    const question = live()
      ? "Delete this race? It is still running: it is cancelled, and its results and events are deleted."
      : "Delete this race with its results and events? The share link stops working.";
    if (!window.confirm(question)) return;
    setCancelError(null);
    setDeleting(true);
    try {
      await api.deleteRun(run.id);
      navigate("/runs");
    } catch (cause) {
      setCancelError(errorText(cause));
    } finally {
      setDeleting(false);
    }
  };

  return (
    <section class="race">
      <header class="race-head">
        <div>
          <h1>
            Race <code>{run.id}</code>
          </h1>
          <p class="muted">
            {run.workload} · {describeRunParams(run.workload, run.params)} · {run.repeats} pass
            {run.repeats === 1 ? "" : "es"}
            <Show when={run.warmup > 0}> + {run.warmup} warm-up</Show> · created {formatTime(run.created_at)}
          </p>
        </div>
        <div class="race-status">
          <StatusBadge status={status()} testId="run-status" />
          <Show when={session.watching()}>
            <span class="badge badge-watching" data-testid="race-watching" title="Only the operator can stop this race">
              watching
            </span>
          </Show>
          <Show when={live()}>
            <span class="muted connection">{connectionText(source.connection())}</span>
          </Show>
        </div>
      </header>

      <Show when={source.error()}>
        {(message) => (
          <p class="error" role="alert">
            {message()}
          </p>
        )}
      </Show>

      <Show when={source.state()}>
        {(state) => (
          <>
            <div class="lanes">
              <For each={state().lanes}>
                {(lane) => (
                  <LaneCard
                    lane={lane}
                    live={source.live(lane.lane_id)}
                    preview={source.preview?.(lane.lane_id) ?? null}
                    runId={state().run.id}
                    repeats={state().run.repeats}
                    warmup={state().run.warmup}
                    waitingFor={laneAheadOnMachine(lane, state().lanes)}
                    samples={source.samples(lane.agent_id)}
                  />
                )}
              </For>
            </div>
            <div class="standings-head">
              <h2>Standings</h2>
              <Show when={metrics().length > 1}>
                <label>
                  Rank by
                  <select
                    data-testid="ranking-metric"
                    value={metric()?.name ?? ""}
                    onChange={(event) => setMetricName(event.currentTarget.value)}
                  >
                    <For each={metrics()}>{(choice) => <option value={choice.name}>{choice.label}</option>}</For>
                  </select>
                </label>
              </Show>
            </div>
            <SummaryTable state={state()} metric={metric()} />
          </>
        )}
      </Show>

      <div class="race-tools">
        <ShareBox url={run.share_url} />
        <div class="exports">
          <span>Export</span>
          <a href={exportUrl(run.id, "csv")} download="">
            CSV
          </a>
          <a href={exportUrl(run.id, "json")} download="">
            JSON
          </a>
        </div>
        <Show when={session.operator()}>
          <div class="cancel">
            <Show when={live()}>
              <button type="button" class="danger" onClick={cancel} disabled={cancelling()} data-testid="cancel-button">
                Cancel race
              </button>
            </Show>
            <button type="button" onClick={remove} disabled={deleting()} data-testid="delete-button">
              Delete race
            </button>
            <Show when={cancelError()}>
              {(message) => (
                <p class="error" role="alert">
                  {message()}
                </p>
              )}
            </Show>
          </div>
        </Show>
      </div>
    </section>
  );
}

function connectionText(connection: RaceConnection): string {
  switch (connection) {
    case "connecting":
      return "connecting…";
    case "live":
      return "live";
    case "reconnecting":
      return "connection lost, reconnecting…";
    case "closed":
      return "disconnected";
  }
}
