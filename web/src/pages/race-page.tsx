// The live race page, which is also the share link: a finished run is rebuilt by replaying its
// stored events (and can be replayed at real speed); a live one follows the race room's snapshot
// and deltas over a WebSocket, with its ghost race (if any) replayed beside it. Full screen turns
// the page into a wall display; Esc leaves it.
import { A, useParams } from "@solidjs/router";
import { createMemo, createResource, createSignal, For, Match, onCleanup, Show, Switch } from "solid-js";
import type { RunView } from "../../../coordinator/protocol/api.ts";
import { terminalRunStatuses } from "../../../coordinator/protocol/enums.ts";
import { ErrorAlert } from "../components/error-alert.tsx";
import { LaneCard } from "../components/lane-card.tsx";
import { RaceControls } from "../components/race-controls.tsx";
import { ShareBox } from "../components/share-box.tsx";
import { SpeedChart } from "../components/speed-chart.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import { SummaryTable } from "../components/summary-table.tsx";
import { api, exportUrl } from "../lib/api-client.ts";
import { errorText } from "../lib/error-text.ts";
import { formatTime } from "../lib/format.ts";
import { laneAheadOnMachine } from "../lib/lane-waiting-turn.ts";
import { raceStateFromRun } from "../lib/race-state-from-run.ts";
import { findRacesElsewhere, machinesWaitingElsewhere } from "../lib/races-elsewhere.ts";
import { rankLanes } from "../lib/rank-lanes.ts";
import { pageTitle, useDocumentTitle } from "../lib/use-document-title.ts";
import { createGhostRace } from "../stores/ghost-race.ts";
import type { RaceConnection, RaceSource } from "../stores/race-source.ts";
import { createRaceStore, type RaceStore, viewerUrl } from "../stores/race-store.ts";
import { useSession } from "../stores/session-store.tsx";
import { createStoredRace, type StoredRace } from "../stores/stored-race.ts";
import { describeRunParams, workloadView } from "../workloads/registry.ts";

export function RacePage() {
  const params = useParams<{ id: string }>();
  useDocumentTitle(() => pageTitle("Race"));
  const [run] = createResource(
    () => params.id,
    (id) => api.getRun(id),
  );
  return (
    <Switch>
      <Match when={run.error}>{(cause) => <ErrorAlert message={errorText(cause())} />}</Match>
      <Match when={run()} keyed>
        {(loaded) => <RaceView run={loaded} />}
      </Match>
      <Match when={run.loading}>
        <p class="muted">Loading race…</p>
      </Match>
    </Switch>
  );
}

/** A live run follows the race room (closed with the page); a finished one is read from its stored events. */
function openRace(run: RunView): { kind: "live"; store: RaceStore } | { kind: "stored"; stored: StoredRace } {
  if (terminalRunStatuses.includes(run.status)) return { kind: "stored", stored: createStoredRace(run) };
  const store = createRaceStore({ url: viewerUrl(run.id), initial: raceStateFromRun(run) });
  onCleanup(() => store.close());
  return { kind: "live", store };
}

function RaceView(props: { run: RunView }) {
  const run = props.run;
  const opened = openRace(run);
  const store = opened.kind === "live" ? opened.store : null;
  const stored = opened.kind === "stored" ? opened.stored : null;
  const source: RaceSource = opened.kind === "live" ? opened.store : opened.stored;

  const ghost =
    run.ghost_run_id && store ? createGhostRace(run.ghost_run_id, () => source.state()?.started_at ?? null) : null;
  const [wall, setWall] = createSignal(false);
  const toggleWall = () => {
    const next = !wall();
    setWall(next);
    if (next) void document.documentElement.requestFullscreen?.().catch(() => undefined);
    else if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.key === "Escape" && wall()) toggleWall();
  };
  document.addEventListener("keydown", onKey);
  onCleanup(() => document.removeEventListener("keydown", onKey));

  const session = useSession();
  const status = () => source.state()?.status ?? run.status;
  useDocumentTitle(() => pageTitle(run.name ?? `${run.workload} race`, status()));
  /** only a run followed over the room's socket is live; a stored one never offers controls */
  const live = () => store !== null && !terminalRunStatuses.includes(status());
  const metrics = createMemo(() => workloadView(run.workload)?.rankingMetrics(run.params) ?? []);
  const [metricName, setMetricName] = createSignal<string | null>(null);
  const metric = () => metrics().find((choice) => choice.name === metricName()) ?? metrics()[0] ?? null;
  const places = createMemo(() => {
    const state = source.state();
    const ranked = state ? rankLanes(state, metric()) : [];
    return new Map(ranked.map((row) => [row.lane.lane_id, row.place]));
  });
  const waitingMachines = createMemo(
    () => (live() ? machinesWaitingElsewhere(source.state()?.lanes ?? []).join(",") : ""),
    "",
  );
  const [racesElsewhere] = createResource(
    () => waitingMachines() || false,
    (joined) => findRacesElsewhere(api, run.id, joined.split(",")),
  );

  return (
    <section class="race" classList={{ "race-wall": wall() }}>
      <header class="race-head">
        <div>
          <h1 data-testid="race-title">
            <Show
              when={run.name}
              fallback={
                <>
                  Race <code>{run.id}</code>
                </>
              }
            >
              {(name) => name()}
            </Show>
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
          <Show when={stored}>
            {(finished) => (
              <button
                type="button"
                data-testid="replay-button"
                title="Play the race again from its start, at the speed it ran"
                onClick={() => (finished().replaying() ? finished().stopReplay() : finished().replay())}
              >
                {finished().replaying() ? "Stop replay" : "Replay"}
              </button>
            )}
          </Show>
          <Show when={session.operator() && status() === "done"}>
            <A class="button-link" href={`/?ghost=${encodeURIComponent(run.id)}`} data-testid="race-ghost-link">
              Race its ghost
            </A>
          </Show>
          <button type="button" data-testid="wall-button" onClick={toggleWall} aria-pressed={wall()}>
            {wall() ? "Leave full screen" : "Full screen"}
          </button>
        </div>
      </header>

      <ErrorAlert message={source.error()} />

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
                    lanes={state().lanes}
                    place={places().get(lane.lane_id) ?? null}
                    busyWith={racesElsewhere()?.get(lane.agent_id) ?? null}
                    clockShiftMs={stored?.clockShiftMs()}
                    samples={source.samples(lane.agent_id)}
                  />
                )}
              </For>
            </div>
            <Show when={ghost?.state()}>
              {(ghostState) => (
                <div class="ghost-lanes" data-testid="ghost-lanes">
                  <h2>Ghost: race {run.ghost_run_id?.slice(0, 8)} replayed from its start</h2>
                  <div class="lanes">
                    <For each={ghostState().lanes}>
                      {(lane) => (
                        <LaneCard
                          lane={lane}
                          repeats={ghostState().run.repeats}
                          warmup={ghostState().run.warmup}
                          ghost
                          clockShiftMs={ghost?.clockShiftMs()}
                        />
                      )}
                    </For>
                  </div>
                </div>
              )}
            </Show>
            <ErrorAlert message={ghost?.error()} />
            <SpeedChart
              series={source.speeds()}
              lanes={state().lanes}
              finished={terminalRunStatuses.includes(state().status)}
            />
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
          <RaceControls runId={run.id} live={live()} />
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
