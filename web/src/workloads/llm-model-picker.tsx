// The models an llm race can use: per online machine, each LLM engine it runs with its version and
// models (size, short digest, and for real engines a fit badge from the preflight), and a button that adds a lane.
// Where a reachable Ollama lacks a model the lanes race (the preflight says so), it offers to pull it there.
import { For, Show } from "solid-js";
import type { AgentView } from "../../../coordinator/protocol/api.ts";
import { type BackendKind, backendKinds, workloadOfBackend } from "../../../coordinator/protocol/enums.ts";
import type { BackendProbe, ModelInfo } from "../../../coordinator/protocol/hardware.ts";
import { preflightLane } from "../../../coordinator/protocol/preflight.ts";
import { FitBadge } from "../components/fit-badge.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import { describeHardware } from "../lib/describe-hardware.ts";
import { formatBytes } from "../lib/format.ts";
import type { LlmLaneChoice } from "../lib/llm-form.ts";
import { LlmPullButton } from "./llm-pull-button.tsx";

const llmBackends = (agent: AgentView): [BackendKind, BackendProbe][] =>
  backendKinds.flatMap((kind) => {
    const probe = agent.backends[kind];
    return probe && workloadOfBackend[kind] === "llm" ? [[kind, probe] as [BackendKind, BackendProbe]] : [];
  });

/** "sha256:0123456789abcdef..." -> "0123456789ab". */
const shortDigest = (digest: string): string => digest.replace(/^sha256:/, "").slice(0, 12);

function describeModel(model: ModelInfo): string {
  const parts = [
    model.size_bytes === null ? null : formatBytes(model.size_bytes),
    model.digest && shortDigest(model.digest),
  ];
  return parts.filter(Boolean).join(" · ");
}

export function LlmModelPicker(props: {
  agents: readonly AgentView[];
  /** the context the race asks for, which the fit estimate depends on */
  numCtx: number;
  onAdd(lane: LlmLaneChoice): void;
  /** the Ollama models the lanes race, offered for pulling where a machine's Ollama lacks them */
  wantedOllamaModels?: readonly string[];
  /** a pull finished: refresh the machines */
  onPulled?(): void;
}) {
  const online = () => props.agents.filter((agent) => agent.status !== "offline");
  const missingOn = (agent: AgentView): string[] =>
    (props.wantedOllamaModels ?? []).filter((model) => {
      const check = preflightLane(agent, { backend: "ollama", model }, { num_ctx: props.numCtx });
      return check.model === null && agent.backends.ollama?.reachable === true;
    });
  return (
    <Show when={online().length > 0} fallback={<p class="muted">No machine is online: start an agent to race.</p>}>
      <ul class="llm-agents">
        <For each={online()}>
          {(agent) => (
            <li class="llm-agent" data-testid="llm-agent" data-agent-name={agent.name}>
              <span class="agent-main">
                <span class="agent-name">{agent.name}</span>
                <StatusBadge status={agent.status} />
              </span>
              <span class="agent-hardware muted">{describeHardware(agent.hardware)}</span>
              <For each={llmBackends(agent)} fallback={<p class="muted">No LLM engine was found on this machine.</p>}>
                {([kind, probe]) => (
                  <div class="llm-backend" data-testid="llm-backend" data-backend={kind}>
                    <p class="llm-backend-name">
                      {kind}
                      <Show when={probe.version}>{(version) => <span class="muted"> {version()}</span>}</Show>
                    </p>
                    <Show
                      when={probe.reachable}
                      fallback={<p class="lane-error">{probe.error ?? `${kind} is not reachable.`}</p>}
                    >
                      <ul class="model-list">
                        <For each={probe.models} fallback={<li class="muted">No models found.</li>}>
                          {(model) => (
                            <li class="model-row" data-testid="model-option" data-model={model.name}>
                              <span class="model-name">{model.name}</span>
                              <span class="muted">{describeModel(model)}</span>
                              <Show when={kind !== "mock"}>
                                <FitBadge
                                  fit={
                                    preflightLane(
                                      agent,
                                      { backend: kind, model: model.name },
                                      { num_ctx: props.numCtx },
                                    ).fit
                                  }
                                />
                              </Show>
                              <button
                                type="button"
                                data-testid="add-lane"
                                onClick={() => props.onAdd({ agent: agent.id, backend: kind, model: model.name })}
                              >
                                Add lane
                              </button>
                            </li>
                          )}
                        </For>
                      </ul>
                      <Show when={kind === "ollama"}>
                        <For each={missingOn(agent)}>
                          {(model) => <LlmPullButton agent={agent} model={model} onPulled={() => props.onPulled?.()} />}
                        </For>
                      </Show>
                    </Show>
                  </div>
                )}
              </For>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
