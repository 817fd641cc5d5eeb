// A failure shown where it happened, announced to screen readers; nothing while there is none.
import { Show } from "solid-js";

export function ErrorAlert(props: { message: string | null | undefined | false; testId?: string }) {
  return (
    <Show when={props.message}>
      {(message) => (
        <p class="error" role="alert" data-testid={props.testId}>
          {message()}
        </p>
      )}
    </Show>
  );
}
