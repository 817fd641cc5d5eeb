// The lab's settings: the model policy (models every machine should have, which machines lack
// them, and "Pull missing" with each pull's progress streamed from the agents), a place for the
// image checkpoint catalog, and the defaults a new race starts with. Kept in this browser.
import { createResource, createSignal, For, onCleanup, Show } from "solid-js";
import type { ModelPullState } from "../../../coordinator/protocol/api.ts";
import { ollamaModelNameSchema } from "../../../coordinator/protocol/api.ts";
import { api } from "../lib/api-client.ts";
import { missingModels, modelCoverage } from "../lib/model-coverage.ts";
import { pageTitle, useDocumentTitle } from "../lib/use-document-title.ts";
import { type LabSettings, readLabSettings, writeLabSettings } from "../stores/lab-settings.ts";
import { useSession } from "../stores/session-store.tsx";
import { describeProgress, pullPollMs } from "../workloads/llm-pull-button.tsx";

const errorText = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause));

export function SettingsPage() {
  useDocumentTitle(() => pageTitle("Settings"));
  const session = useSession();
  const [settings, setSettings] = createSignal<LabSettings>(readLabSettings());
  const save = (next: LabSettings) => {
    writeLabSettings(next);
    setSettings(next);
  };
  const [agents, { refetch }] = createResource(() => api.listAgents());
  const [newModel, setNewModel] = createSignal("");
  const [modelError, setModelError] = createSignal<string | null>(null);
  const [pulls, setPulls] = createSignal<ModelPullState[]>([]);
  const [pullError, setPullError] = createSignal<string | null>(null);
  let timer: ReturnType<typeof setInterval> | undefined;
  const stopPolling = () => {
    clearInterval(timer);
    timer = undefined;
  };
  onCleanup(stopPolling);

  const addModel = (event: SubmitEvent) => {
    event.preventDefault();
    const parsed = ollamaModelNameSchema.safeParse(newModel().trim());
    if (!parsed.success) return void setModelError(parsed.error.issues[0]?.message ?? "not a model name");
    setModelError(null);
    setNewModel("");
    if (!settings().models.includes(parsed.data)) save({ ...settings(), models: [...settings().models, parsed.data] });
  };

  const poll = async () => {
    try {
      const latest = await api.listPulls();
      setPulls(latest);
      if (latest.every((pull) => pull.done)) {
        stopPolling();
        void refetch();
      }
    } catch (cause) {
      stopPolling();
      setPullError(errorText(cause));
    }
  };

  const pullMissing = async () => {
    setPullError(null);
    try {
      for (const [model, ids] of missingModels(agents() ?? [], settings().models)) await api.pullModel(ids, model);
      stopPolling();
      timer = setInterval(() => void poll(), pullPollMs);
    } catch (cause) {
      setPullError(errorText(cause));
    }
  };

  const pullOf = (agentId: string, model: string) =>
    pulls().find((pull) => pull.agent_id === agentId && pull.model === model) ?? null;
  const anyMissing = () => missingModels(agents() ?? [], settings().models).size > 0;

  return (
    <section class="settings">
      <h1>Settings</h1>
      <p class="muted">Kept in this browser.</p>

      <h2>Model policy</h2>
      <p class="muted">Models every machine should have in its Ollama.</p>
      <form class="inline-form" onSubmit={addModel}>
        <input
          name="policy-model"
          placeholder="e.g. llama3.2:3b"
          value={newModel()}
          aria-invalid={modelError() !== null}
          onInput={(event) => setNewModel(event.currentTarget.value)}
        />
        <button type="submit" data-testid="add-policy-model">
          Add model
        </button>
      </form>
      <Show when={modelError()}>
        {(message) => (
          <p class="error" role="alert">
            {message()}
          </p>
        )}
      </Show>
      <Show when={settings().models.length > 0} fallback={<p class="muted">No models in the policy yet.</p>}>
        <div class="table-wrap">
          <table class="policy-table" data-testid="policy-table">
            <thead>
              <tr>
                <th>Model</th>
                <For each={agents() ?? []}>{(agent) => <th>{agent.name}</th>}</For>
                <th aria-label="Remove" />
              </tr>
            </thead>
            <tbody>
              <For each={settings().models}>
                {(model) => (
                  <tr data-testid="policy-row" data-model={model}>
                    <td class="model-name">{model}</td>
                    <For each={agents() ?? []}>
                      {(agent) => {
                        const coverage = () => modelCoverage(agent, model);
                        const pull = () => pullOf(agent.id, model);
                        return (
                          <td data-testid="policy-cell" data-coverage={coverage()}>
                            <Show
                              when={pull() && coverage() !== "present"}
                              fallback={
                                coverage() === "present"
                                  ? "✓ present"
                                  : coverage() === "missing"
                                    ? "missing"
                                    : "no Ollama"
                              }
                            >
                              <span role="status" data-testid="policy-pull">
                                {pull()?.error ?? describeProgress(pull())}
                              </span>
                            </Show>
                          </td>
                        );
                      }}
                    </For>
                    <td>
                      <button
                        type="button"
                        class="link"
                        onClick={() => save({ ...settings(), models: settings().models.filter((m) => m !== model) })}
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
        <Show when={session.operator() && anyMissing()}>
          <button type="button" class="primary" data-testid="pull-missing" onClick={() => void pullMissing()}>
            Pull missing
          </button>
        </Show>
        <Show when={pullError()}>
          {(message) => (
            <p class="error" role="alert">
              {message()}
            </p>
          )}
        </Show>
      </Show>

      <h2>Image checkpoints</h2>
      <p class="muted" data-testid="checkpoint-catalog">
        The checkpoint catalog appears here once image races can be started.
      </p>

      <h2>Defaults for a new race</h2>
      <div class="params">
        <label>
          Repeats
          <input
            name="default-repeats"
            type="number"
            min="1"
            max="100"
            value={settings().repeats}
            onChange={(event) => {
              const repeats = Math.min(100, Math.max(1, Math.round(Number(event.currentTarget.value)) || 1));
              save({ ...settings(), repeats });
            }}
          />
        </label>
        <label>
          Warm-up passes
          <input
            name="default-warmup"
            type="number"
            min="0"
            max="10"
            value={settings().warmup}
            onChange={(event) => {
              const warmup = Math.min(10, Math.max(0, Math.round(Number(event.currentTarget.value)) || 0));
              save({ ...settings(), warmup });
            }}
          />
        </label>
      </div>
    </section>
  );
}
