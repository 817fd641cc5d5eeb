// The image checkpoint catalog (operator only): the `label | url | sha256:<hex>` lines image races
// draw on, checked line by line with the protocol's own parser before they are sent (the API
// checks again, and its message shows beside the list), then downloaded onto the machines'
// ComfyUI with each download's progress polled from GET /api/agents/pulls.
import { createResource, createSignal, For, Show } from "solid-js";
import type { AgentView } from "../../../coordinator/protocol/api.ts";
import { parseCheckpointList, toCheckpointLine } from "../../../coordinator/protocol/checkpoint.ts";
import { api } from "../lib/api-client.ts";
import { apiFieldError } from "../lib/api-field-error.ts";
import { errorText } from "../lib/error-text.ts";
import { createPullPoller, describeProgress } from "../lib/pull-progress.ts";
import { ErrorAlert } from "./error-alert.tsx";
import { FormField, fieldInputProps } from "./form-field.tsx";

const example = "SD 1.5 | https://example.org/v1-5-pruned-emaonly.safetensors | sha256:<64 hex digits>";

export function CheckpointCatalog(props: {
  agents: readonly AgentView[];
  /** downloads finished: fetch the machines again so their checkpoints show */
  onSynced(): void;
}) {
  const [text, setText] = createSignal("");
  const [allowPrivate, setAllowPrivate] = createSignal(false);
  const [catalog, { mutate }] = createResource(async () => {
    const specs = await api.listCheckpoints();
    setText(specs.map(toCheckpointLine).join("\n"));
    setAllowPrivate(specs.some((spec) => spec.allow_private));
    return specs;
  });
  const [listErrors, setListErrors] = createSignal<readonly string[]>([]);
  const [error, setError] = createSignal<string | null>(null);
  const [saved, setSaved] = createSignal(false);
  const [unreached, setUnreached] = createSignal<readonly string[]>([]);
  const poller = createPullPoller(
    () => api,
    () => props.onSynced(),
  );
  const listError = () => (listErrors().length > 0 ? listErrors().join("; ") : undefined);
  const comfyAgents = () => props.agents.filter((agent) => agent.backends.comfyui !== undefined);

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    setSaved(false);
    const { problems } = parseCheckpointList(text(), allowPrivate());
    setListErrors(problems);
    if (problems.length > 0) return;
    try {
      mutate(await api.saveCheckpoints(text(), allowPrivate()));
      setSaved(true);
    } catch (cause) {
      const message = errorText(cause);
      const named = apiFieldError(message, ["list"] as const);
      if (named) setListErrors(named.message.split("; "));
      else setError(message);
    }
  };

  const sync = async () => {
    setError(null);
    try {
      const result = await api.syncCheckpoints(comfyAgents().map((agent) => agent.id));
      setUnreached(result.missing);
      poller.follow();
    } catch (cause) {
      setError(errorText(cause));
    }
  };

  const cellText = (agent: AgentView, name: string): string => {
    const pull = poller.pullOf(agent.id, name);
    if (pull && !pull.done) return describeProgress(pull);
    if (pull?.error) return pull.error;
    if (agent.backends.comfyui?.models.some((model) => model.name === name)) return "✓ present";
    if (unreached().includes(agent.id)) return "not connected";
    return "missing";
  };

  return (
    <div data-testid="checkpoint-catalog">
      <form class="checkpoint-form" onSubmit={save}>
        <FormField
          prefix="checkpoint"
          name="list"
          label="One checkpoint a line: label | url | sha256:hash"
          error={listError()}
          wide
        >
          <textarea
            {...fieldInputProps("checkpoint", "list", listError())}
            rows={4}
            placeholder={example}
            value={text()}
            onInput={(event) => setText(event.currentTarget.value)}
          />
        </FormField>
        <label class="check">
          <input
            type="checkbox"
            name="allow_private"
            checked={allowPrivate()}
            onChange={(event) => setAllowPrivate(event.currentTarget.checked)}
          />
          Allow loopback and private addresses (a mirror inside the lab)
        </label>
        <button type="submit" data-testid="save-checkpoints">
          Save the list
        </button>
        <Show when={saved()}>
          <span class="muted" role="status">
            Saved.
          </span>
        </Show>
      </form>
      <ErrorAlert message={error() ?? (catalog.error ? errorText(catalog.error) : null)} />
      <Show when={(catalog.latest ?? []).length > 0}>
        <div class="table-wrap">
          <table class="policy-table" data-testid="checkpoint-table">
            <thead>
              <tr>
                <th>Checkpoint</th>
                <For each={comfyAgents()}>{(agent) => <th>{agent.name}</th>}</For>
              </tr>
            </thead>
            <tbody>
              <For each={catalog.latest ?? []}>
                {(spec) => (
                  <tr data-testid="checkpoint-row" data-name={spec.name}>
                    <td class="model-name" title={spec.name}>
                      {spec.label}
                    </td>
                    <For each={comfyAgents()}>
                      {(agent) => <td data-testid="checkpoint-cell">{cellText(agent, spec.name)}</td>}
                    </For>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
        <Show
          when={comfyAgents().length > 0}
          fallback={<p class="muted">No machine reports ComfyUI yet: start an agent with --comfyui-url.</p>}
        >
          <button type="button" class="primary" data-testid="sync-checkpoints" onClick={() => void sync()}>
            Download onto machines with ComfyUI
          </button>
        </Show>
        <ErrorAlert message={poller.error()} />
      </Show>
    </div>
  );
}
