// The new-race form's preflight in one place, above the Race button: which machines will be
// skipped and why, and which will wait (busy with another race), before anything is sent.
import { For, Show } from "solid-js";

export interface PreflightItem {
  machine: string;
  /** why, in words that say what to do */
  reason: string;
  /** skipped: the lane is left out of the race; raced: sent anyway (forced); waits: starts once its machine is free */
  outcome: "skipped" | "raced" | "waits";
}

const outcomeText: Record<PreflightItem["outcome"], string> = {
  skipped: "will be skipped",
  raced: "will be raced anyway",
  waits: "will wait",
};

export function PreflightBanner(props: { items: readonly PreflightItem[] }) {
  return (
    <Show when={props.items.length > 0}>
      <div class="preflight-banner" role="status" data-testid="preflight-banner">
        <strong>Before this race starts</strong>
        <ul>
          <For each={props.items}>
            {(item) => (
              <li data-testid="preflight-item" data-outcome={item.outcome}>
                <b>{item.machine}</b> {outcomeText[item.outcome]}: {item.reason}
              </li>
            )}
          </For>
        </ul>
      </div>
    </Show>
  );
}
