// An llm lane's card body: the pass under way with its streamed text and live figures (TTFT,
// tokens/s, tokens), then the pass's result with the agent's wall-clock figures beside the
// engine's own, and a plain note when the mock engine stood in.
import { Show } from "solid-js";
import type { Result } from "../../../coordinator/protocol/race-state.ts";
import { LastPassCaption } from "../components/last-pass-caption.tsx";
import { ResultItem } from "../components/result-item.tsx";
import { StreamingText } from "../components/streaming-text.tsx";
import { formatDecimal, formatDuration, formatInteger } from "../lib/format.ts";
import { latestResult, numberMetric } from "../lib/lane-metrics.ts";
import { passLabel } from "../lib/pass-label.ts";
import type { LaneBodyProps } from "./registry.ts";

export const formatTokenRate = (perSecond: number): string => `${formatDecimal(perSecond, 1)} tok/s`;

const shown = (value: number | null | undefined, format: (value: number) => string): string | null =>
  value === null || value === undefined || !Number.isFinite(value) ? null : format(value);

export function LlmLaneBody(props: LaneBodyProps) {
  const result = () => latestResult(props.lane);
  const stat = (name: string) => props.live?.stats[name];
  const label = () => passLabel(props.lane, props.repeats, props.warmup);
  /** whether the lane's latest pass has its result (so no newer pass is waiting for its first token) */
  const passFinished = () => {
    const current = props.lane.current;
    return (
      current === null || props.lane.results.some((r) => r.repeat === current.repeat && r.warmup === current.warmup)
    );
  };
  /** the pass's text as it streams; a finished run opened later has only its result's output */
  const text = () => props.lane.text || (passFinished() ? (result()?.output ?? "") : "");

  return (
    <>
      <Show when={label()}>{(caption) => <p class="progress-caption muted">{caption()}</p>}</Show>
      <Show when={props.live}>
        <dl class="lane-result lane-live" data-testid="lane-live">
          <ResultItem label="TTFT" value={shown(stat("ttft_ms"), formatDuration)} testId="live-ttft" />
          <ResultItem label="Tokens/s" value={shown(stat("tokens_per_s"), formatTokenRate)} testId="live-rate" />
          <ResultItem label="Tokens" value={shown(stat("tokens"), formatInteger)} testId="live-tokens" />
          <ResultItem label="Elapsed" value={shown(stat("elapsed_ms"), formatDuration)} testId="live-elapsed" />
        </dl>
      </Show>
      <StreamingText text={text()} class="lane-text" testId="lane-text" />
      <Show when={result()}>
        {(finished) => (
          <>
            <LastPassCaption lane={props.lane} />
            <LlmResult result={finished()} />
          </>
        )}
      </Show>
    </>
  );
}

function LlmResult(props: { result: Result }) {
  const metric = (name: string) => numberMetric(props.result.metrics, name);
  const fallback = () => props.result.metrics.fallback_reason;
  const cached = () => props.result.metrics.prompt_cached;
  return (
    <>
      <Show when={props.result.metrics.engine === "mock"}>
        <p class="lane-note" data-testid="fallback-note">
          Mock engine: not a measurement{typeof fallback() === "string" ? ` (${fallback()})` : ""}.
        </p>
      </Show>
      <table class="wall-engine" data-testid="llm-figures">
        <thead>
          <tr>
            <th />
            <th>Wall</th>
            <th>Engine</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th>Prompt</th>
            <td data-testid="wall-prompt-rate">{shown(metric("prompt_tokens_per_s"), formatTokenRate) ?? "—"}</td>
            <td data-testid="engine-prompt-rate">
              {shown(metric("engine_prompt_tokens_per_s"), formatTokenRate) ?? "—"}
            </td>
          </tr>
          <tr>
            <th>Generation</th>
            <td data-testid="wall-gen-rate">{shown(metric("gen_tokens_per_s"), formatTokenRate) ?? "—"}</td>
            <td data-testid="engine-gen-rate">{shown(metric("engine_gen_tokens_per_s"), formatTokenRate) ?? "—"}</td>
          </tr>
        </tbody>
      </table>
      <dl class="lane-result">
        <ResultItem label="TTFT" value={shown(metric("ttft_ms"), formatDuration)} testId="ttft" />
        <ResultItem label="TTFR" value={shown(metric("ttfr_ms"), formatDuration)} />
        <ResultItem label="Prompt tokens" value={shown(metric("prompt_tokens"), formatInteger)} />
        <ResultItem label="Prompt eval" value={shown(metric("prompt_eval_ms"), formatDuration)} />
        <ResultItem label="Generated" value={shown(metric("gen_tokens"), formatInteger)} testId="gen-tokens" />
        <ResultItem label="Total" value={shown(metric("total_ms"), formatDuration)} testId="total" />
        <ResultItem label="Load" value={shown(metric("load_ms"), formatDuration)} />
        <ResultItem label="Harness overhead" value={shown(metric("harness_overhead_ms"), formatDuration)} />
        <ResultItem label="ITL p50" value={shown(metric("itl_p50_ms"), formatDuration)} />
        <ResultItem label="ITL p99" value={shown(metric("itl_p99_ms"), formatDuration)} />
        <ResultItem label="Prompt cache" value={typeof cached() === "boolean" ? (cached() ? "used" : "off") : null} />
      </dl>
    </>
  );
}
