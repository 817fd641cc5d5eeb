// One machine's lane in a race: status, progress, the latest progress lines, and once a pass
// ends its result (primes found, time, rates or drag-race passes, verified) or the error that stopped it.
import { For, Show } from "solid-js";
import type { LaneState } from "../../../coordinator/protocol/race-state.ts";
import { formatDecimal, formatDuration, formatInteger, formatRate } from "../lib/format.ts";
import { latestResult, numberMetric } from "../lib/lane-metrics.ts";
import { isMockLane } from "../lib/rank-lanes.ts";
import { StatusBadge } from "./status-badge.tsx";

/** How many progress lines the card's log keeps on screen. */
const shownLines = 6;

export function LaneCard(props: { lane: LaneState; repeats: number; warmup: number }) {
  const result = () => latestResult(props.lane);
  const metric = (name: string) => {
    const r = result();
    return r ? numberMetric(r.metrics, name) : null;
  };
  const fraction = () => (props.lane.status === "done" ? 1 : (props.lane.current?.fraction ?? 0));
  const percent = () => Math.round(fraction() * 100);
  const passLabel = () => {
    const current = props.lane.current;
    if (!current) return null;
    return current.warmup
      ? `warm-up ${current.repeat + 1} of ${props.warmup}`
      : `pass ${current.repeat + 1} of ${props.repeats}`;
  };
  const shown = (name: string, format: (value: number) => string): string | null => {
    const value = metric(name);
    return value === null ? null : format(value);
  };
  const verified = () => result()?.metrics.verified;

  return (
    <article class="lane-card" data-testid="lane-card" data-agent-name={props.lane.agent_name}>
      <header class="lane-head">
        <div>
          <h3>{props.lane.agent_name}</h3>
          <p class="muted">
            {props.lane.backend}
            <Show when={props.lane.model}>{(model) => <> · {model()}</>}</Show>
            <Show when={isMockLane(props.lane)}>
              <span class="mock-tag" title="Results from the mock engine are not ranked">
                mock
              </span>
            </Show>
          </p>
        </div>
        <StatusBadge status={props.lane.status} testId="lane-status" />
      </header>

      <div
        class="progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent()}
        aria-label={`${props.lane.agent_name} progress`}
      >
        <div class={`progress-fill progress-${props.lane.status}`} style={{ width: `${percent()}%` }} />
      </div>
      <p class="progress-caption muted">
        {percent()}%<Show when={passLabel()}>{(label) => <> · {label()}</>}</Show>
      </p>

      <Show when={props.lane.lines.length > 0}>
        <pre class="lane-log" data-testid="lane-log">
          <For each={props.lane.lines.slice(-shownLines)}>{(line) => <div>{line}</div>}</For>
        </pre>
      </Show>

      <Show when={props.lane.text}>
        <pre class="lane-text">{props.lane.text}</pre>
      </Show>

      <Show when={result()}>
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

      <Show when={props.lane.error}>
        {(error) => (
          <p class="lane-error" data-testid="lane-error">
            {error().message}
          </p>
        )}
      </Show>
    </article>
  );
}

function ResultItem(props: { label: string; value: string | null; testId?: string }) {
  return (
    <Show when={props.value !== null}>
      <div>
        <dt>{props.label}</dt>
        <dd data-testid={props.testId}>{props.value}</dd>
      </div>
    </Show>
  );
}
