// Starts a compute race: pick machines and parameters, POST /api/runs, then open the race page.
// The form is checked with the protocol's schemas first; the API's errors are shown as sent.
import { useNavigate } from "@solidjs/router";
import { createResource, createSignal, For, Match, onCleanup, Show, Switch } from "solid-js";
import { type ComputeAlgorithm, computeAlgorithms, dragRaceDefaults } from "../../../coordinator/protocol/compute.ts";
import { AgentPicker } from "../components/agent-picker.tsx";
import { api } from "../lib/api-client.ts";
import { parseComputeForm } from "../lib/compute-form.ts";
import { formatInteger, parseNumberInput } from "../lib/format.ts";

/** How often the machine list refreshes, in milliseconds. */
const agentsRefreshMs = 5000;
/** n of a single count unless the user types another. */
const defaultN = 100_000_000;

export function NewRacePage() {
  const navigate = useNavigate();
  const [agents, { refetch }] = createResource(() => api.listAgents());
  const timer = setInterval(() => refetch(), agentsRefreshMs);
  onCleanup(() => clearInterval(timer));

  const [selected, setSelected] = createSignal<ReadonlySet<string>>(new Set());
  const [algorithm, setAlgorithm] = createSignal<ComputeAlgorithm>("segmented_sieve");
  const [nText, setNText] = createSignal(formatInteger(defaultN));
  const [threadsText, setThreadsText] = createSignal("");
  const [repeatsText, setRepeatsText] = createSignal("1");
  const [warmupText, setWarmupText] = createSignal("0");
  const [intervalText, setIntervalText] = createSignal("1");
  const [dragRace, setDragRace] = createSignal(false);
  const [durationText, setDurationText] = createSignal(String(dragRaceDefaults.duration_s));
  const [error, setError] = createSignal<string | null>(null);
  const [submitting, setSubmitting] = createSignal(false);

  const toggle = (agentId: string, picked: boolean) => {
    const next = new Set(selected());
    if (picked) next.add(agentId);
    else next.delete(agentId);
    setSelected(next);
  };

  /** The drag race's classic n replaces the single count's default, and back. */
  const choosePreset = (drag: boolean) => {
    setDragRace(drag);
    const n = parseNumberInput(nText());
    if (drag && n === defaultN) setNText(formatInteger(dragRaceDefaults.n));
    if (!drag && n === dragRaceDefaults.n) setNText(formatInteger(defaultN));
  };

  const tidyN = () => {
    const n = parseNumberInput(nText());
    if (n !== null && Number.isInteger(n)) setNText(formatInteger(n));
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    const form = parseComputeForm({
      agentIds: [...selected()],
      algorithm: algorithm(),
      dragRace: dragRace(),
      n: nText(),
      threads: threadsText(),
      repeats: repeatsText(),
      warmup: warmupText(),
      progressInterval: intervalText(),
      duration: durationText(),
    });
    if (!form.ok) {
      setError(form.error);
      return;
    }
    setSubmitting(true);
    try {
      const run = await api.createRun(form.body);
      navigate(`/runs/${encodeURIComponent(run.id)}`);
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : String(cause));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <section>
      <h1>New race</h1>
      <form class="race-form" onSubmit={submit}>
        <fieldset>
          <legend>Machines</legend>
          <Switch>
            <Match when={agents.error}>
              {(cause) => <p class="error">{cause() instanceof Error ? cause().message : String(cause())}</p>}
            </Match>
            <Match when={agents.latest}>
              {(list) => <AgentPicker agents={list()} selected={selected()} onToggle={toggle} />}
            </Match>
            <Match when={agents.loading}>
              <p class="muted">Loading machines…</p>
            </Match>
          </Switch>
        </fieldset>

        <fieldset class="params">
          <legend>Compute: count primes ≤ n</legend>
          <label>
            Race
            <select
              value={dragRace() ? "drag_race" : "count"}
              onChange={(event) => choosePreset(event.currentTarget.value === "drag_race")}
            >
              <option value="count">one count (time it)</option>
              <option value="drag_race">drag race (passes per second)</option>
            </select>
          </label>
          <label>
            Algorithm
            <select value={algorithm()} onChange={(event) => setAlgorithm(parseAlgorithm(event.currentTarget.value))}>
              <For each={computeAlgorithms}>{(name) => <option value={name}>{name}</option>}</For>
            </select>
          </label>
          <label>
            n
            <input
              name="n"
              inputmode="decimal"
              value={nText()}
              onInput={(event) => setNText(event.currentTarget.value)}
              onBlur={tidyN}
            />
          </label>
          <Show when={dragRace()}>
            <label>
              Duration (s)
              <input
                name="duration_s"
                inputmode="decimal"
                value={durationText()}
                onInput={(event) => setDurationText(event.currentTarget.value)}
              />
            </label>
          </Show>
          <label>
            Threads
            <input
              name="threads"
              inputmode="numeric"
              placeholder="all cores"
              value={threadsText()}
              onInput={(event) => setThreadsText(event.currentTarget.value)}
            />
          </label>
          <label>
            Repeats
            <input
              name="repeats"
              type="number"
              min="1"
              max="100"
              value={repeatsText()}
              onInput={(event) => setRepeatsText(event.currentTarget.value)}
            />
          </label>
          <label>
            Warm-up passes
            <input
              name="warmup"
              type="number"
              min="0"
              max="10"
              value={warmupText()}
              onInput={(event) => setWarmupText(event.currentTarget.value)}
            />
          </label>
          <label>
            Progress interval (s)
            <input
              name="progress_interval_s"
              inputmode="decimal"
              value={intervalText()}
              onInput={(event) => setIntervalText(event.currentTarget.value)}
            />
          </label>
        </fieldset>

        <Show when={error()}>
          {(message) => (
            <p class="error" role="alert" data-testid="form-error">
              {message()}
            </p>
          )}
        </Show>
        <button type="submit" class="primary" disabled={submitting()} data-testid="race-button">
          {submitting() ? "Starting…" : "Race"}
        </button>
      </form>
    </section>
  );
}

function parseAlgorithm(value: string): ComputeAlgorithm {
  return computeAlgorithms.find((name) => name === value) ?? "segmented_sieve";
}
