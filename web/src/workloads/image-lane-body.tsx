// An image lane's card body: step progress of the image under way (from the live figures), the
// newest live preview, and the finished images of every pass as thumbnails that open full size.
import { For, Show } from "solid-js";
import type { ImageRef } from "../../../coordinator/protocol/image.ts";
import { createLanePercent, LaneProgressBar } from "../components/lane-progress-bar.tsx";
import { LastPassCaption } from "../components/last-pass-caption.tsx";
import { ResultItem } from "../components/result-item.tsx";
import { formatDecimal, formatDuration } from "../lib/format.ts";
import { latestResult, numberMetric } from "../lib/lane-metrics.ts";
import { passLabel } from "../lib/pass-label.ts";
import type { LaneBodyProps } from "./registry.ts";

/** The URL the API serves a run's stored image at. */
export const imageUrl = (runId: string, image: ImageRef): string =>
  `/api/runs/${encodeURIComponent(runId)}/images/${image.sha256}`;

export function ImageLaneBody(props: LaneBodyProps) {
  const stat = (name: string) => {
    const value = props.live?.stats[name];
    return typeof value === "number" ? value : null;
  };
  const fraction = () => {
    const step = stat("step");
    const steps = stat("steps");
    return step !== null && steps ? step / steps : 0;
  };
  const percent = createLanePercent(
    () => props.lane,
    fraction,
    () => props.clockShiftMs,
  );
  const result = () => latestResult(props.lane);
  const shown = (name: string, format: (value: number) => string): string | null => {
    const r = result();
    const value = r ? numberMetric(r.metrics, name) : null;
    return value === null ? null : format(value);
  };
  const images = () =>
    props.lane.results.flatMap((r) => (r.images ?? []).map((image) => ({ image, warmup: r.warmup, repeat: r.repeat })));

  return (
    <>
      <LaneProgressBar lane={props.lane} percent={percent()} label={`${props.lane.agent_name} step progress`} />
      <p class="progress-caption muted" data-testid="image-progress">
        <Show when={stat("image")} fallback={<>{percent()}%</>}>
          {(image) => (
            <>
              image {image()} · step {stat("step") ?? 0}/{stat("steps") ?? "?"}
              <Show when={stat("it_per_s")}>{(rate) => <> · {formatDecimal(rate(), 2)} it/s</>}</Show>
            </>
          )}
        </Show>
        <Show when={passLabel(props.lane, props.repeats, props.warmup)}>{(text) => <> · {text()}</>}</Show>
      </p>

      <Show when={props.lane.lines.length > 0}>
        <pre class="lane-log" data-testid="lane-log">
          <For each={props.lane.lines.slice(-3)}>{(line) => <div>{line}</div>}</For>
        </pre>
      </Show>

      <Show when={props.preview}>
        {(url) => <img class="image-preview" data-testid="image-preview" src={url()} alt="live preview" />}
      </Show>

      <Show when={result()}>
        <LastPassCaption lane={props.lane} />
        <dl class="lane-result">
          <ResultItem
            label="s/image"
            value={shown("seconds_per_image", (s) => formatDecimal(s, 2))}
            testId="seconds-per-image"
          />
          <ResultItem label="it/s" value={shown("it_per_s", (r) => formatDecimal(r, 2))} testId="it-per-s" />
          <ResultItem label="Queue" value={shown("queue_ms", formatDuration)} />
          <ResultItem label="Total" value={shown("total_ms", formatDuration)} />
        </dl>
      </Show>

      <Show when={props.runId !== null && images().length > 0}>
        <ul class="image-thumbs" data-testid="image-thumbs">
          <For each={images()}>
            {(item) => (
              <li>
                <a href={imageUrl(props.runId as string, item.image)} target="_blank" rel="noopener">
                  <img
                    src={imageUrl(props.runId as string, item.image)}
                    width={96}
                    height={Math.round((96 * item.image.height) / item.image.width)}
                    loading="lazy"
                    alt={`${item.warmup ? "warm-up " : ""}pass ${item.repeat + 1}, #${item.image.index + 1}, seed ${item.image.seed}`}
                  />
                </a>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </>
  );
}
