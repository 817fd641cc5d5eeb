// The operator's way to add a machine: the command to paste on it (with the agent token inside)
// and a Copy button that says whether the copy worked.
import { createResource, createSignal, Show } from "solid-js";
import { api } from "../lib/api-client.ts";
import { errorText } from "../lib/error-text.ts";
import { ErrorAlert } from "./error-alert.tsx";

export function EnrollmentBox() {
  const [enrollment] = createResource(() => api.getEnrollment());
  const [copied, setCopied] = createSignal<string | null>(null);
  const copy = async (command: string) => {
    try {
      await navigator.clipboard.writeText(command);
      setCopied("Copied");
    } catch {
      setCopied("Copy failed: select the command and copy it by hand");
    }
  };
  return (
    <section class="share-box" data-testid="enrollment">
      <h2>Add a machine</h2>
      <Show
        when={enrollment.state === "ready" && enrollment()}
        fallback={<ErrorAlert message={enrollment.error ? errorText(enrollment.error) : null} />}
      >
        {(ready) => (
          <>
            <label for="enroll-command">Run this on the machine (Node 20, in a checkout of bench-race):</label>
            <div class="share-row">
              <input
                id="enroll-command"
                data-testid="enroll-command"
                readonly
                value={ready().command}
                onFocus={(event) => event.currentTarget.select()}
              />
              <button type="button" onClick={() => copy(ready().command)} data-testid="copy-enroll">
                Copy
              </button>
            </div>
            <span class="muted" aria-live="polite" data-testid="copy-feedback">
              {copied()}
            </span>
          </>
        )}
      </Show>
    </section>
  );
}
