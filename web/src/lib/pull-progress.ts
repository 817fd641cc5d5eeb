// Progress of downloads the agents run for the operator (Ollama model pulls, checkpoint syncs),
// as GET /api/agents/pulls reports it: how one reads, and a poller that follows a batch of them
// until every one is done. Checkpoint syncs are listed like pulls, under the checkpoint's file name.
import { createSignal, onCleanup } from "solid-js";
import type { ModelPullState } from "../../../coordinator/protocol/api.ts";
import type { ApiClient } from "./api-client.ts";
import { errorText } from "./error-text.ts";

/** How often running pulls are polled, in milliseconds. */
export const pullPollMs = 1000;

/** "pulling dde5aa3fc5ff · 42%" */
export function describeProgress(state: ModelPullState | null): string {
  if (!state) return "starting…";
  const { completed_bytes: done, total_bytes: total } = state;
  const percent = done !== null && total ? ` · ${Math.floor((done / total) * 100)}%` : "";
  return `${state.status}${percent}`;
}

export interface PullPoller {
  /** the latest states of recent pulls */
  pulls(): readonly ModelPullState[];
  /** why polling stopped early; null while it runs or after it finished */
  error(): string | null;
  /** the state of one pull (`name` is the model or the checkpoint's file name); null when not listed */
  pullOf(agentId: string, name: string): ModelPullState | null;
  /** polls every `pullPollMs` until every listed pull is done, then calls `onSettled` */
  follow(): void;
}

/** A poller owned by the calling component: it stops when the component goes away. */
export function createPullPoller(client: () => ApiClient, onSettled: () => void): PullPoller {
  const [pulls, setPulls] = createSignal<readonly ModelPullState[]>([]);
  const [error, setError] = createSignal<string | null>(null);
  let timer: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    clearInterval(timer);
    timer = undefined;
  };
  onCleanup(stop);

  const poll = async () => {
    try {
      const latest = await client().listPulls();
      setPulls(latest);
      if (latest.every((pull) => pull.done)) {
        stop();
        onSettled();
      }
    } catch (cause) {
      stop();
      setError(errorText(cause));
    }
  };

  return {
    pulls,
    error,
    pullOf: (agentId, name) => pulls().find((pull) => pull.agent_id === agentId && pull.model === name) ?? null,
    follow() {
      setError(null);
      stop();
      timer = setInterval(() => void poll(), pullPollMs);
    },
  };
}
