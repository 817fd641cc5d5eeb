/**
 * Runs the model pulls the lab room asks for, one at a time per agent: it drives Ollama's pull,
 * reports progress at most every `progressIntervalMs` plus the final report, and after a success
 * lets the caller re-probe the engine (and re-send the hello) before the final report goes out,
 * so whoever sees `done` can already find the model in the fleet.
 */
import type { Logger } from "../coordinator/protocol/logger.ts";
import type { ModelPullProgress } from "../coordinator/protocol/messages.ts";
import { pullOllamaModel } from "./backends/ollama/pull-ollama-model.ts";

/** Shortest time between two progress reports of a pull, in milliseconds (about 4 a second). */
export const progressIntervalMs = 250;

export interface ModelPullerOptions {
  /** base URL of this machine's Ollama; null when the agent has no Ollama backend */
  ollamaUrl: string | null;
  fetch: typeof fetch;
  /** milliseconds, monotonic */
  now(): number;
  /** sends one progress message to the lab room */
  report(progress: ModelPullProgress): void;
  /** after a successful pull: re-probe the engine and re-send the hello */
  onPulled(model: string): Promise<void>;
  log: Logger;
}

export interface ModelPuller {
  /** queues a pull; ignored while the same model is being pulled or waits its turn */
  pull(model: string): void;
  /** resolves when every queued pull has ended */
  settled(): Promise<void>;
  /** aborts the pull under way and drops the queued ones */
  stop(): void;
}

export const noOllamaMessage =
  "This machine has no Ollama backend: start its agent with --ollama-url (or run Ollama on its default port) to pull models.";

/** Ollama's own error, in words that name the fix. */
export function describePullError(model: string, error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/file does not exist|not found|manifest unknown/i.test(text))
    return `Ollama has no model named "${model}": check the name (and tag) on ollama.com/library. (${text})`;
  return text;
}

export function createModelPuller(options: ModelPullerOptions): ModelPuller {
  const { log } = options;
  const wanted = new Set<string>();
  const controller = new AbortController();
  let chain: Promise<void> = Promise.resolve();

  const progress = (model: string, fields: Partial<ModelPullProgress>): ModelPullProgress => ({
    type: "model-pull-progress",
    model,
    status: "",
    completed_bytes: null,
    total_bytes: null,
    done: false,
    ...fields,
  });

  async function run(model: string, ollamaUrl: string): Promise<void> {
    let lastReport = Number.NEGATIVE_INFINITY;
    try {
      for await (const step of pullOllamaModel(ollamaUrl, model, options.fetch, controller.signal)) {
        const at = options.now();
        if (at - lastReport < progressIntervalMs) continue;
        lastReport = at;
        options.report(
          progress(model, { status: step.status, completed_bytes: step.completed, total_bytes: step.total }),
        );
      }
      await options.onPulled(model);
      log.info("model pulled", { model });
      options.report(progress(model, { status: "success", done: true }));
    } catch (err) {
      if (controller.signal.aborted) return;
      const error = describePullError(model, err);
      log.warn("model pull failed", { model, error });
      options.report(progress(model, { status: "failed", done: true, error }));
    }
  }

  return {
    pull(model) {
      const { ollamaUrl } = options;
      if (ollamaUrl === null) {
        options.report(progress(model, { status: "failed", done: true, error: noOllamaMessage }));
        return;
      }
      if (wanted.has(model) || controller.signal.aborted) return;
      wanted.add(model);
      chain = chain.then(() => run(model, ollamaUrl)).finally(() => wanted.delete(model));
    },
    settled: () => chain,
    stop() {
      controller.abort();
    },
  };
}
