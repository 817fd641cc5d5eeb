/**
 * Runs the checkpoint downloads the lab room asks for, one at a time: progress goes back as
 * `model-pull-progress` under the checkpoint's file name (at most every `progressIntervalMs`, plus
 * the final report), and after a download ComfyUI is re-probed so the fleet lists the checkpoint.
 */
import type { CheckpointSpec } from "../coordinator/protocol/checkpoint.ts";
import type { Logger } from "../coordinator/protocol/logger.ts";
import type { ModelPullProgress } from "../coordinator/protocol/messages.ts";
import { progressIntervalMs } from "./create-model-puller.ts";
import { downloadCheckpoint } from "./download-checkpoint.ts";

export interface CheckpointSyncerOptions {
  /** ComfyUI's models/checkpoints folder; null when the agent was started without --comfyui-checkpoints */
  dir: string | null;
  /** milliseconds, monotonic */
  now(): number;
  report(progress: ModelPullProgress): void;
  /** after a download: re-probe ComfyUI and re-send the hello */
  onSynced(name: string): Promise<void>;
  log: Logger;
  fetch?: typeof fetch;
}

export interface CheckpointSyncer {
  sync(checkpoint: CheckpointSpec): void;
  settled(): Promise<void>;
  stop(): void;
}

export const noCheckpointsDirMessage =
  "This machine's agent has no checkpoints folder: start it with --comfyui-checkpoints <ComfyUI's models/checkpoints folder> to download checkpoints.";

export function createCheckpointSyncer(options: CheckpointSyncerOptions): CheckpointSyncer {
  const controller = new AbortController();
  const wanted = new Set<string>();
  let chain: Promise<void> = Promise.resolve();
  const progress = (name: string, fields: Partial<ModelPullProgress>): ModelPullProgress => ({
    type: "model-pull-progress",
    model: name,
    status: "",
    completed_bytes: null,
    total_bytes: null,
    done: false,
    ...fields,
  });

  async function run(checkpoint: CheckpointSpec, dir: string): Promise<void> {
    let lastReport = Number.NEGATIVE_INFINITY;
    const outcome = await downloadCheckpoint({
      spec: checkpoint,
      dir,
      signal: controller.signal,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      onProgress(completed, total) {
        const at = options.now();
        if (at - lastReport < progressIntervalMs) return;
        lastReport = at;
        options.report(
          progress(checkpoint.name, { status: "downloading", completed_bytes: completed, total_bytes: total }),
        );
      },
    });
    if (controller.signal.aborted) return;
    if (!outcome.ok) {
      options.log.warn("checkpoint download failed", { name: checkpoint.name, error: outcome.message });
      options.report(progress(checkpoint.name, { status: "failed", done: true, error: outcome.message }));
      return;
    }
    await options.onSynced(checkpoint.name);
    options.log.info("checkpoint downloaded", { name: checkpoint.name, resumed_from: outcome.resumedFrom });
    options.report(progress(checkpoint.name, { status: "success", done: true }));
  }

  return {
    sync(checkpoint) {
      const { dir } = options;
      if (!dir) {
        options.report(progress(checkpoint.name, { status: "failed", done: true, error: noCheckpointsDirMessage }));
        return;
      }
      if (wanted.has(checkpoint.name)) return;
      wanted.add(checkpoint.name);
      chain = chain.then(() =>
        run(checkpoint, dir)
          .catch((err: unknown) =>
            options.report(progress(checkpoint.name, { status: "failed", done: true, error: String(err) })),
          )
          .finally(() => wanted.delete(checkpoint.name)),
      );
    },
    settled: () => chain,
    stop: () => controller.abort(),
  };
}
