/**
 * Timing of an image pass, on the agent's clock only: for each image the time it waited in
 * ComfyUI's queue (submit to execution start), its generation time (execution start, or submit when
 * the start was not seen, to its finished output) and its sampling rate from step progress (steps
 * between the first and last progress message over the time between them). The pass reports the
 * sums and means across its images, so no image of a batch goes untimed.
 */
import type { LiveStats, Metrics } from "../../coordinator/protocol/job.ts";
import type { PassOutcome, PassTiming } from "./pass-timing.ts";
import { toMicroseconds } from "./to-microseconds.ts";

interface ImageClock {
  seed: number;
  submitAt: number;
  startAt: number | null;
  doneAt: number | null;
  firstStep: { at: number; value: number } | null;
  lastStep: { at: number; value: number; max: number } | null;
}

export function createImagePassTiming(): PassTiming {
  const images = new Map<number, ImageClock>();
  let current: number | null = null;

  const stepRate = (list: ImageClock[]) => {
    let steps = 0;
    let ms = 0;
    for (const image of list) {
      if (!image.firstStep || !image.lastStep || image.lastStep.at <= image.firstStep.at) continue;
      steps += image.lastStep.value - image.firstStep.value;
      ms += image.lastStep.at - image.firstStep.at;
    }
    return ms > 0 ? (steps * 1000) / ms : null;
  };

  return {
    observe(event, tMs) {
      if (event.type === "image-submit") {
        current = event.index;
        images.set(event.index, {
          seed: event.seed,
          submitAt: tMs,
          startAt: null,
          doneAt: null,
          firstStep: null,
          lastStep: null,
        });
        return;
      }
      if (event.type !== "image-start" && event.type !== "image-step" && event.type !== "image") return;
      const image = images.get(event.index);
      if (!image) return;
      if (event.type === "image-start") image.startAt ??= tMs;
      else if (event.type === "image") image.doneAt ??= tMs;
      else {
        image.firstStep ??= { at: tMs, value: event.value };
        image.lastStep = { at: tMs, value: event.value, max: event.max };
      }
    },
    live(tMs): LiveStats {
      const image = current === null ? undefined : images.get(current);
      return {
        elapsed_ms: toMicroseconds(tMs),
        image: current === null ? null : current + 1,
        images_done: [...images.values()].filter((i) => i.doneAt !== null).length,
        step: image?.lastStep?.value ?? null,
        steps: image?.lastStep?.max ?? null,
        it_per_s: stepRate([...images.values()]),
      };
    },
    finish(engine, tMs): PassOutcome {
      const list = [...images.entries()].sort(([a], [b]) => a - b);
      const done = list.filter(([, i]) => i.doneAt !== null);
      const genMs = (i: ImageClock) => (i.doneAt as number) - (i.startAt ?? i.submitAt);
      const queued = list.filter(([, i]) => i.startAt !== null);
      const queueMs = queued.reduce((sum, [, i]) => sum + ((i.startAt as number) - i.submitAt), 0);
      const meanGenMs = done.length > 0 ? done.reduce((sum, [, i]) => sum + genMs(i), 0) / done.length : null;
      const metrics: Metrics = {
        ...engine,
        images: done.length,
        queue_ms: queued.length > 0 ? toMicroseconds(queueMs) : null,
        total_ms: toMicroseconds(tMs),
        seconds_per_image: meanGenMs === null ? null : meanGenMs / 1000,
        it_per_s: stepRate(list.map(([, i]) => i)),
        energy_j: null,
        avg_power_w: null,
        energy_source: "none",
      };
      const imageTimes = done.map(([index, i]) => ({ index, seed: i.seed, gen_ms: toMicroseconds(genMs(i)) }));
      return { metrics, imageTimes };
    },
  };
}
