// A compute lane's card body: progress bar, the latest progress lines, and once a pass ends its
// result (primes found, time, rates or drag-race passes, verified).
import { For, Show } from "solid-js";
import { createLanePercent, LaneProgressBar } from "../components/lane-progress-bar.tsx";
import { LastPassCaption } from "../components/last-pass-caption.tsx";
import { ResultItem } from "../components/result-item.tsx";
import { formatDecimal, formatDuration, formatInteger, formatRate } from "../lib/format.ts";
import { latestResult, numberMetric } from "../lib/lane-metrics.ts";
import { passLabel } from "../lib/pass-label.ts";
import type { LaneBodyProps } from "./registry.ts";

/** How many progress lines the card's log keeps on screen. */
const shownLines = 6;

export function ComputeLaneBody(props: LaneBodyProps) {
  const result = () => latestResult(props.lane);
  const shown = (name: string, format: (value: number) => string): string | null => {
    const r = result();
    const value = r ? numberMetric(r.metrics, name) : null;
    return value === null ? null : format(value);
  };
  const percent = createLanePercent(
    () => props.lane,
    () => props.lane.current?.fraction ?? 0,
    () => props.clockShiftMs,
  );
  const label = () => passLabel(props.lane, props.repeats, props.warmup);
  const verified = () => result()?.metrics.verified;

  return (
    <>
      <LaneProgressBar lane={props.lane} percent={percent()} label={`${props.lane.agent_name} progress`} />
      <p class="progress-caption muted">
        {percent()}%<Show when={label()}>{(text) => <> · {text()}</>}</Show>
      </p>

      <Show when={props.lane.lines.length > 0}>
        <pre class="lane-log" data-testid="lane-log">
          <For each={props.lane.lines.slice(-shownLines)}>{(line) => <div>{line}</div>}</For>
        </pre>
      </Show>

      <Show when={result()}>
        <LastPassCaption lane={props.lane} />
        <dl class="lane-result">
          <ResultItem label="Primes found" value={shown("primes_found", formatInteger)} testId="primes-found" />
          <ResultItem label="Elapsed" value={shown("elapsed_ms", formatDuration)} testId="elapsed" />
          <ResultItem label="Primes/s" value={shown("primes_per_sec", formatRate)} />
          <ResultItem label="Numbers/s" value={shown("numbers_per_sec", formatRate)} />
          <ResultItem label="Passes/s" value={shown("passes_per_sec", (rate) => formatDecimal(rate, 2))} />
          <ResultItem label="Passes" value={shown("passes", formatInteger)} />
          <ResultItem label="Threads" value={shown("threads_used", String)} />
          <Show when={typeof verified() === "boolean"}>
            <div>
              <dt>Verified</dt>
              <dd data-testid="verified" class={verified() ? "ok" : "bad"}>
                {verified() ? "✓ correct count" : "✗ count does not match"}
              </dd>
            </div>
          </Show>
        </dl>
      </Show>
    </>
  );
}
