// Whether a model is likely to fit a machine's memory with its context, as the preflight judged it;
// the estimate behind the judgement is in the tooltip.
import type { ModelFit } from "../../../coordinator/protocol/preflight.ts";

const words = { good: "fits", risk: "tight fit", fail: "may not fit" } as const;

export function FitBadge(props: { fit: ModelFit }) {
  return (
    <span class={`fit fit-${props.fit.label ?? "unknown"}`} data-testid="fit-badge" title={props.fit.reason}>
      {props.fit.label === null ? "fit unknown" : words[props.fit.label]}
    </span>
  );
}
