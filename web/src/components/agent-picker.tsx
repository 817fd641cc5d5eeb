// The machines a race can run on: one checkbox per agent with its status and hardware. Offline
// and revoked agents are shown but cannot be picked.
import { type Accessor, createSignal, For, Show } from "solid-js";
import type { AgentView } from "../../../coordinator/protocol/api.ts";
import { describeHardware } from "../lib/describe-hardware.ts";
import { StatusBadge } from "./status-badge.tsx";

export interface AgentPickerProps {
  agents: readonly AgentView[];
  selected: ReadonlySet<string>;
  onToggle: (agentId: string, picked: boolean) => void;
}

/** The picked agent ids and the toggle the picker calls. */
export function createAgentSelection(): {
  selected: Accessor<ReadonlySet<string>>;
  toggle: AgentPickerProps["onToggle"];
} {
  const [selected, setSelected] = createSignal<ReadonlySet<string>>(new Set());
  const toggle = (agentId: string, picked: boolean) => {
    const next = new Set(selected());
    if (picked) next.add(agentId);
    else next.delete(agentId);
    setSelected(next);
  };
  return { selected, toggle };
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
