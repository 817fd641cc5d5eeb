// The model policy: the Ollama models every machine should have, which machines lack them, and
// "Pull missing" with each pull's progress streamed from the agents. The policy itself is part of
// the lab's settings, saved on the coordinator by the page that owns them.
import { createSignal, For, Show } from "solid-js";
import type { AgentView } from "../../../coordinator/protocol/api.ts";
import { ollamaModelNameSchema } from "../../../coordinator/protocol/api.ts";
import { api } from "../lib/api-client.ts";
import { errorText } from "../lib/error-text.ts";
import { missingModels, modelCoverage } from "../lib/model-coverage.ts";
import { createPullPoller, describeProgress } from "../lib/pull-progress.ts";
import { ErrorAlert } from "./error-alert.tsx";

export function ModelPolicy(props: {
  models: readonly string[];
  agents: readonly AgentView[];
  /** the operator may change the policy and pull */
  operator: boolean;
  onChange(models: string[]): void;
  /** pulls finished: fetch the machines again */
  onPulled(): void;
}) {
  const [newModel, setNewModel] = createSignal("");
  const [modelError, setModelError] = createSignal<string | null>(null);
  const [startError, setStartError] = createSignal<string | null>(null);
  const poller = createPullPoller(
    () => api,
    () => props.onPulled(),
  );
  const pullError = () => startError() ?? poller.error();

  const addModel = (event: SubmitEvent) => {
    event.preventDefault();
    const parsed = ollamaModelNameSchema.safeParse(newModel().trim());
    if (!parsed.success) return void setModelError(parsed.error.issues[0]?.message ?? "not a model name");
    setModelError(null);
    setNewModel("");
    if (!props.models.includes(parsed.data)) props.onChange([...props.models, parsed.data]);
  };

  const pullMissing = async () => {
    setStartError(null);
    try {
      for (const [model, ids] of missingModels(props.agents, props.models)) await api.pullModel(ids, model);
      poller.follow();
    } catch (cause) {
      setStartError(errorText(cause));
    }
  };

  const anyMissing = () => missingModels(props.agents, props.models).size > 0;

  return (
    <>
      <h2>Model policy</h2>
      <p class="muted">Models every machine should have in its Ollama.</p>
      <Show when={props.operator}>
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
      </Show>
      <ErrorAlert message={modelError()} />
      <Show when={props.models.length > 0} fallback={<p class="muted">No models in the policy yet.</p>}>
        <div class="table-wrap">
          <table class="policy-table" data-testid="policy-table">
            <thead>
              <tr>
                <th>Model</th>
                <For each={props.agents}>{(agent) => <th>{agent.name}</th>}</For>
                <Show when={props.operator}>
                  <th aria-label="Remove" />
                </Show>
              </tr>
            </thead>
            <tbody>
              <For each={props.models}>
                {(model) => (
                  <tr data-testid="policy-row" data-model={model}>
                    <td class="model-name">{model}</td>
                    <For each={props.agents}>
                      {(agent) => {
                        const coverage = () => modelCoverage(agent, model);
                        const pull = () => poller.pullOf(agent.id, model);
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
                    <Show when={props.operator}>
                      <td>
                        <button
                          type="button"
                          class="link"
                          onClick={() => props.onChange(props.models.filter((m) => m !== model))}
                        >
                          Remove
                        </button>
                      </td>
                    </Show>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
        <Show when={props.operator && anyMissing()}>
          <button type="button" class="primary" data-testid="pull-missing" onClick={() => void pullMissing()}>
            Pull missing
          </button>
        </Show>
        <ErrorAlert message={pullError()} />
      </Show>
    </>
  );
}
