// The lab's settings, kept on the coordinator (GET/PUT /api/settings): the model policy, the image
// checkpoint catalog and the defaults a new race starts with. Spectators read them; only the
// operator changes them, and each change is saved at once.
import { createResource, createSignal, Show } from "solid-js";
import { defaultLabSettings, type LabSettings } from "../../../coordinator/protocol/lab-settings.ts";
import { CheckpointCatalog } from "../components/checkpoint-catalog.tsx";
import { ErrorAlert } from "../components/error-alert.tsx";
import { ModelPolicy } from "../components/model-policy.tsx";
import { RaceDefaults } from "../components/race-defaults.tsx";
import { api } from "../lib/api-client.ts";
import { errorText } from "../lib/error-text.ts";
import { pageTitle, useDocumentTitle } from "../lib/use-document-title.ts";
import { useSession } from "../stores/session-store.tsx";

export function SettingsPage() {
  useDocumentTitle(() => pageTitle("Settings"));
  const session = useSession();
  const [stored, { mutate }] = createResource(() => api.getSettings());
  const settings = (): LabSettings => stored.latest ?? defaultLabSettings;
  const [agents, { refetch }] = createResource(() => api.listAgents());
  const [saveError, setSaveError] = createSignal<string | null>(null);

  const save = async (next: LabSettings) => {
    setSaveError(null);
    const before = settings();
    mutate(next);
    try {
      mutate(await api.saveSettings(next));
    } catch (cause) {
      mutate(before);
      setSaveError(`The settings were not saved: ${errorText(cause)}`);
    }
  };

  return (
    <section class="settings">
      <h1>Settings</h1>
      <p class="muted">Kept on the coordinator, the same for every browser.</p>
      <ErrorAlert
        message={stored.error ? `The settings could not be loaded: ${errorText(stored.error)}` : saveError()}
        testId="settings-error"
      />

      <ModelPolicy
        models={settings().models}
        agents={agents() ?? []}
        operator={session.operator()}
        onChange={(models) => void save({ ...settings(), models })}
        onPulled={() => void refetch()}
      />

      <h2>Image checkpoints</h2>
      <Show
        when={session.operator()}
        fallback={<p class="muted">The checkpoint catalog is the operator's: open the dashboard link to see it.</p>}
      >
        <CheckpointCatalog agents={agents() ?? []} onSynced={() => void refetch()} />
      </Show>

      <h2>Defaults for a new race</h2>
      <RaceDefaults
        settings={settings()}
        disabled={!session.operator()}
        onChange={(next) => void save({ ...settings(), ...next })}
      />
    </section>
  );
}
