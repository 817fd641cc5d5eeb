// A machine's engines as its agent last probed them: reachable or why not, version, and the models
// each one holds with size and a short digest. Shown to the operator only.
import { For, Show } from "solid-js";
import type { BackendKind } from "../../../coordinator/protocol/enums.ts";
import type { BackendProbe, Backends, ModelInfo } from "../../../coordinator/protocol/hardware.ts";
import { formatBytes } from "../lib/format.ts";

/** "sha256:0123456789abcdef…" -> "0123456789ab" */
export const shortDigest = (digest: string): string => digest.replace(/^sha256:/, "").slice(0, 12);

export function EngineList(props: { backends: Backends }) {
  const engines = () => Object.entries(props.backends) as Array<[BackendKind, BackendProbe]>;
  return (
    <Show when={engines().length > 0} fallback={<p class="muted">No engines reported.</p>}>
      <ul class="engine-list">
        <For each={engines()}>
          {([kind, probe]) => (
            <li data-testid="engine" data-engine={kind}>
              <strong>{kind}</strong>{" "}
              <span class={probe.reachable ? "ok" : "bad"}>{probe.reachable ? "reachable" : "not reachable"}</span>
              <Show when={probe.version}>{(version) => <span class="muted"> · version {version()}</span>}</Show>
              <Show when={probe.error}>
                {(error) => (
                  <p class="error" data-testid="engine-error">
                    {error()}
                  </p>
                )}
              </Show>
              <Show when={probe.models.length > 0}>
                <ul class="model-list">
                  <For each={probe.models}>{(model) => <ModelLine model={model} />}</For>
                </ul>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}

function ModelLine(props: { model: ModelInfo }) {
  return (
    <li data-testid="engine-model">
      {props.model.name}
      <Show when={props.model.size_bytes !== null}>
        <span class="muted"> · {formatBytes(props.model.size_bytes ?? 0)}</span>
      </Show>
      <Show when={props.model.digest}>
        {(digest) => (
          <span class="muted">
            {" "}
            · <code title={digest()}>{shortDigest(digest())}</code>
          </span>
        )}
      </Show>
    </li>
  );
}
