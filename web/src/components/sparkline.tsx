// A tiny SVG line of a series over time, for a machine's runtime figures on its lane card. Values
// are drawn against a fixed range (0..100 for percentages) or the series' own maximum.
import { Show } from "solid-js";

export function Sparkline(props: {
  label: string;
  /** the series, oldest first; null where not measured */
  values: readonly (number | null)[];
  /** the top of the drawing; default the series' maximum */
  max?: number;
  /** how the latest value reads, e.g. "42 %" */
  format: (value: number) => string;
  testId?: string;
}) {
  const width = 120;
  const height = 24;
  const measured = () => props.values.filter((v): v is number => v !== null);
  const top = () => props.max ?? Math.max(1e-9, ...measured());
  const points = () => {
    const values = props.values;
    const step = values.length > 1 ? width / (values.length - 1) : 0;
    return values
      .map((v, i) =>
        v === null ? null : `${(i * step).toFixed(1)},${(height - (Math.min(v, top()) / top()) * height).toFixed(1)}`,
      )
      .filter((p): p is string => p !== null)
      .join(" ");
  };
  const latest = () => measured().at(-1);
  return (
    <div class="sparkline" data-testid={props.testId}>
      <span class="sparkline-label">{props.label}</span>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.label}>
        <polyline points={points()} fill="none" stroke="currentColor" stroke-width="1.5" />
      </svg>
      <span class="sparkline-value">
        <Show when={latest() !== undefined} fallback="not measured">
          {props.format(latest() ?? 0)}
        </Show>
      </span>
    </div>
  );
}
