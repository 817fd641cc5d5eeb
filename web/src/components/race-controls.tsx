// The operator's controls of a race: Cancel while it is live and Delete, each after a
// confirmation; the API's refusal is shown in its own words.
import { useNavigate } from "@solidjs/router";
import { createSignal, Show } from "solid-js";
import { api } from "../lib/api-client.ts";
import { errorText } from "../lib/error-text.ts";
import { ErrorAlert } from "./error-alert.tsx";

export function RaceControls(props: { runId: string; live: boolean }) {
  const navigate = useNavigate();
  const [error, setError] = createSignal<string | null>(null);
  const [cancelling, setCancelling] = createSignal(false);
  const [deleting, setDeleting] = createSignal(false);

  const cancel = async () => {
    if (!window.confirm("Cancel this race? Every machine stops where it is; the results so far are kept.")) return;
    setError(null);
    setCancelling(true);
    try {
      await api.cancelRun(props.runId);
    } catch (cause) {
      setError(errorText(cause));
    } finally {
      setCancelling(false);
    }
  };

  const remove = async () => {
    const question = props.live
      ? "Delete this race? It is still running: it is cancelled, and its results and events are deleted."
      : "Delete this race with its results and events? The share link stops working.";
    if (!window.confirm(question)) return;
    setError(null);
    setDeleting(true);
    try {
      await api.deleteRun(props.runId);
      navigate("/runs");
    } catch (cause) {
      setError(errorText(cause));
    } finally {
      setDeleting(false);
    }
  };

  return (
    <div class="cancel">
      <Show when={props.live}>
        <button type="button" class="danger" onClick={cancel} disabled={cancelling()} data-testid="cancel-button">
          Cancel race
        </button>
      </Show>
      <button type="button" onClick={remove} disabled={deleting()} data-testid="delete-button">
        Delete race
      </button>
      <ErrorAlert message={error()} />
    </div>
  );
}
