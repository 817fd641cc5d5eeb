// Starts a race: choose the workload, fill in its section of the form (from the workload registry),
// POST /api/runs, then open the race page. Each section checks its fields with the protocol's
// schemas first; the API still checks everything, and its errors are shown as sent. Opened with
// ?ghost=<run id> (from a finished race), the new race races against that run's ghost.
import { A, useNavigate, useSearchParams } from "@solidjs/router";
import { createEffect, createMemo, createResource, createSignal, For, onCleanup, Show } from "solid-js";
import { Dynamic } from "solid-js/web";
import type { AgentView } from "../../../coordinator/protocol/api.ts";
import type { Workload } from "../../../coordinator/protocol/enums.ts";
import { defaultLabSettings, type LabSettings } from "../../../coordinator/protocol/lab-settings.ts";
import { ErrorAlert } from "../components/error-alert.tsx";
import { api } from "../lib/api-client.ts";
import { errorText } from "../lib/error-text.ts";
import { pageTitle, useDocumentTitle } from "../lib/use-document-title.ts";
import { useSession } from "../stores/session-store.tsx";
import { type RunRequest, workloadView } from "../workloads/registry.ts";

/** How often the machine list refreshes, in milliseconds. */
const agentsRefreshMs = 5000;

/** The workload choices, in the order shown; a workload without a registry entry is shown as coming. */
const choices: readonly { workload: Workload; label: string }[] = [
  { workload: "llm", label: "LLM" },
  { workload: "compute", label: "Compute" },
  { workload: "image", label: "Image" },
];

/** The form for the operator; a spectator is told why there is none. */
export function NewRacePage() {
  useDocumentTitle(() => pageTitle("New race"));
  const session = useSession();
  return (
    <Show
      when={session.operator()}
      fallback={
        <Show when={session.watching()}>
          <section data-testid="spectator-notice">
            <h1>Watching</h1>
            <p class="muted">
              Only the operator can start races. Open a race's share link to watch it, or see past races under{" "}
              <A href="/runs">Runs</A>. To start races, open the dashboard link printed by <code>npm start</code>.
            </p>
          </section>
        </Show>
      }
    >
      <NewRaceForm />
    </Show>
  );
}

function NewRaceForm() {
  const navigate = useNavigate();
  const [agents, { refetch }] = createResource(() => api.listAgents());
  const timer = setInterval(() => refetch(), agentsRefreshMs);
  onCleanup(() => clearInterval(timer));
  /** the last list that loaded, kept while a refresh fails so the form keeps its state */
  const agentList = createMemo<AgentView[] | undefined>((before) =>
    agents.error ? before : (agents.latest ?? before),
  );

  const [settings] = createResource(() => api.getSettings());
  /** the lab's defaults; the built-in ones when the settings could not be loaded */
  const defaults = (): LabSettings | undefined =>
    settings.state === "errored" ? defaultLabSettings : settings.state === "ready" ? settings() : undefined;

  const [workload, setWorkload] = createSignal<Workload>("compute");
  const [search, setSearch] = useSearchParams<{ ghost?: string }>();
  const [ghost] = createResource(
    () => search.ghost || false,
    (id) => api.getRun(id),
  );
  createEffect(() => {
    const chosen = ghost();
    if (chosen && chosen.workload !== workload()) setWorkload(chosen.workload);
  });
  const [error, setError] = createSignal<string | null>(null);
  const [submitting, setSubmitting] = createSignal(false);
  const [name, setName] = createSignal("");
  let build: (() => RunRequest) | null = null;

  const choose = (next: Workload) => {
    build = null;
    setError(null);
    setWorkload(next);
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    const request: RunRequest = build?.() ?? { ok: false, error: "The machines are still loading; try again." };
    if (!request.ok) {
      setError(request.error);
      return;
    }
    setSubmitting(true);
    try {
      const named = name().trim();
      const ghostRunId = ghost()?.id;
      const run = await api.createRun({
        ...request.body,
        ...(named ? { name: named } : {}),
        ...(ghostRunId ? { ghost_run_id: ghostRunId } : {}),
      });
      navigate(`/runs/${encodeURIComponent(run.id)}`);
    } catch (cause) {
      setError(errorText(cause));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <section>
      <h1>New race</h1>
      <form class="race-form" onSubmit={submit}>
        <fieldset class="workload-choice">
          <legend>Workload</legend>
          <For each={choices}>
            {(choice) => {
              const built = workloadView(choice.workload) !== undefined;
              return (
                <label classList={{ disabled: !built }}>
                  <input
                    type="radio"
                    name="workload"
                    value={choice.workload}
                    checked={workload() === choice.workload}
                    disabled={!built}
                    onChange={() => choose(choice.workload)}
                  />
                  {choice.label}
                  <Show when={!built}>
                    <span class="muted"> (coming)</span>
                  </Show>
                </label>
              );
            }}
          </For>
        </fieldset>

        <ErrorAlert message={agents.error ? errorText(agents.error) : null} />
        <Show when={settings.error}>
          {(cause) => (
            <p class="muted" data-testid="defaults-note">
              The lab's defaults could not be loaded ({errorText(cause())}); repeats and warm-ups start at{" "}
              {defaultLabSettings.repeats} and {defaultLabSettings.warmup}.
            </p>
          )}
        </Show>
        <Show
          when={defaults() && agentList()}
          fallback={<Show when={agents.loading}>{<p class="muted">Loading machines…</p>}</Show>}
        >
          {(list) => (
            <Show when={workloadView(workload())} keyed>
              {(view) => (
                <Dynamic
                  component={view.FormSection}
                  agents={list()}
                  defaults={defaults() ?? defaultLabSettings}
                  refreshAgents={() => void refetch()}
                  bind={(next: () => RunRequest) => {
                    build = next;
                  }}
                />
              )}
            </Show>
          )}
        </Show>

        <Show when={ghost()}>
          {(chosen) => (
            <p class="ghost-choice" data-testid="ghost-choice">
              Racing against the ghost of{" "}
              <A href={`/runs/${encodeURIComponent(chosen().id)}`}>
                {chosen().name ?? `race ${chosen().id.slice(0, 8)}`}
              </A>{" "}
              ({chosen().workload}): its lanes replay beside this race from the same start.{" "}
              <button type="button" class="link" onClick={() => setSearch({ ghost: undefined })}>
                No ghost
              </button>
            </p>
          )}
        </Show>
        <ErrorAlert
          message={
            ghost.error
              ? `The ghost race could not be loaded (${errorText(ghost.error)}); start without it or pick another.`
              : null
          }
        />
        <label class="race-name">
          Race name <span class="muted">(optional)</span>
          <input
            name="name"
            maxlength="120"
            placeholder="e.g. M3 Max vs RTX 4090"
            value={name()}
            onInput={(event) => setName(event.currentTarget.value)}
          />
        </label>

        <ErrorAlert message={error()} testId="form-error" />
        <button type="submit" class="primary" disabled={submitting()} data-testid="race-button">
          {submitting() ? "Starting…" : "Race"}
        </button>
      </form>
    </section>
  );
}
