// One labelled figure of a lane card's result list; left out when the figure is absent.
import { Show } from "solid-js";

export function ResultItem(props: { label: string; value: string | null; testId?: string }) {
  return (
    <Show when={props.value !== null}>
      <div>
        <dt>{props.label}</dt>
        <dd data-testid={props.testId}>{props.value}</dd>
      </div>
    </Show>
  );
}
