// "Pull <model> on <machine>": asks the machine's Ollama to pull a model a lane wants, then polls
// the pulls every second to show the step and percent, and has the machine list refreshed once
// the model is there. Failures are shown in the agent's own words.
import { createSignal, onCleanup, Show } from "solid-js";
import type { AgentView, ModelPullState } from "../../../coordinator/protocol/api.ts";
import { type ApiClient, api } from "../lib/api-client.ts";
import { errorText } from "../lib/error-text.ts";
import { describeProgress, pullPollMs } from "../lib/pull-progress.ts";

type PullView =
  | { phase: "idle" }
  | { phase: "pulling"; state: ModelPullState | null }
  | { phase: "done" }
  | { phase: "failed"; error: string };

export function LlmPullButton(props: {
  agent: AgentView;
  model: string;
  /** the pull succeeded: refresh the machines so the model shows */
  onPulled(): void;
  client?: ApiClient;
}) {
  const client = () => props.client ?? api;
  const [view, setView] = createSignal<PullView>({ phase: "idle" });
  let timer: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    clearInterval(timer);
    timer = undefined;
  };
  onCleanup(stop);
  const progressText = () => {
    const current = view();
    return current.phase === "pulling" ? describeProgress(current.state) : null;
  };
  const failure = () => {
    const current = view();
    return current.phase === "failed" ? current.error : null;
  };

  async function poll(): Promise<void> {
    try {
      const pulls = await client().listPulls();
      const state = pulls.find((pull) => pull.agent_id === props.agent.id && pull.model === props.model) ?? null;
      if (view().phase !== "pulling") return;
      if (!state?.done) return void setView({ phase: "pulling", state });
      stop();
      if (state.error !== null) return void setView({ phase: "failed", error: state.error });
      setView({ phase: "done" });
      props.onPulled();
    } catch (cause) {
      stop();
      setView({ phase: "failed", error: errorText(cause) });
    }
  }

  async function start(): Promise<void> {
    setView({ phase: "pulling", state: null });
    try {
      const result = await client().pullModel([props.agent.id], props.model);
      if (result.missing.includes(props.agent.id)) {
        return void setView({
          phase: "failed",
          error: `${props.agent.name} is not connected: start its agent and try again.`,
        });
      }
      stop();
      timer = setInterval(() => void poll(), pullPollMs);
    } catch (cause) {
      setView({ phase: "failed", error: errorText(cause) });
    }
  }

  return (
    <span class="model-pull" data-testid="model-pull" data-model={props.model}>
      <Show when={view().phase !== "pulling" && view().phase !== "done"}>
        <button type="button" data-testid="pull-model" onClick={() => void start()}>
          Pull {props.model} on {props.agent.name}
        </button>
      </Show>
      <Show when={progressText()}>
        {(text) => (
          <span class="muted" data-testid="pull-progress" role="status">
            Pulling {props.model}: {text()}
          </span>
        )}
      </Show>
      <Show when={view().phase === "done"}>
        <span class="muted" data-testid="pull-progress" role="status">
          Pulled {props.model}.
        </span>
      </Show>
      <Show when={failure()}>
        {(error) => (
          <span class="lane-error" data-testid="pull-error" role="alert">
            {error()}
          </span>
        )}
      </Show>
    </span>
  );
}
