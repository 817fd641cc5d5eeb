// The machines a race can run on: one checkbox per agent with its status and hardware. Offline
// and revoked agents are shown but cannot be picked.
import { For, Show } from "solid-js";
import type { AgentView } from "../../../coordinator/protocol/api.ts";
import { describeHardware } from "../lib/describe-hardware.ts";
import { StatusBadge } from "./status-badge.tsx";

export interface AgentPickerProps {
  agents: readonly AgentView[];
  selected: ReadonlySet<string>;
  onToggle: (agentId: string, picked: boolean) => void;
}

const unavailable = (agent: AgentView): boolean => agent.status === "offline" || agent.revoked_at !== null;

export function AgentPicker(props: AgentPickerProps) {
  return (
    <Show when={props.agents.length > 0} fallback={<p class="muted">No machines have connected yet.</p>}>
      <ul class="agent-list">
        <For each={props.agents}>
          {(agent) => (
            <li>
              <label
                class="agent-option"
                classList={{ disabled: unavailable(agent) }}
                data-testid="agent-option"
                data-agent-name={agent.name}
              >
                <input
                  type="checkbox"
                  checked={props.selected.has(agent.id)}
                  disabled={unavailable(agent)}
                  onChange={(event) => props.onToggle(agent.id, event.currentTarget.checked)}
                />
                <span class="agent-main">
                  <span class="agent-name">{agent.name}</span>
                  <StatusBadge status={agent.revoked_at ? "revoked" : agent.status} />
                </span>
                <span class="agent-hardware muted">{describeHardware(agent.hardware)}</span>
              </label>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
