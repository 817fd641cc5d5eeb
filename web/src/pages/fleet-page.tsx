// Every machine that has joined, with its status, when it was last seen and its hardware. The
// operator also sees each machine's engines (with their errors and models) and how to add one.
import { createResource, For, Show } from "solid-js";
import type { AgentView } from "../../../coordinator/protocol/api.ts";
import type { Gpu } from "../../../coordinator/protocol/hardware.ts";
import { EngineList } from "../components/engine-list.tsx";
import { EnrollmentBox } from "../components/enrollment-box.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import { api } from "../lib/api-client.ts";
import { formatBytes, formatTime } from "../lib/format.ts";
import { pageTitle, useDocumentTitle } from "../lib/use-document-title.ts";
import { useSession } from "../stores/session-store.tsx";

const describeGpu = (gpu: Gpu): string =>
  gpu.vram_bytes && !gpu.unified_memory ? `${gpu.name} (${formatBytes(gpu.vram_bytes)})` : gpu.name;

export function FleetPage() {
  useDocumentTitle(() => pageTitle("Fleet"));
  const session = useSession();
  const [agents] = createResource(() => api.listAgents());
  return (
    <section>
      <h1>Fleet</h1>
      <Show when={agents.error as unknown}>
        <p class="error" role="alert">
          {agents.error instanceof Error ? agents.error.message : String(agents.error)}
        </p>
      </Show>
      <Show when={agents.state === "ready"} fallback={<p class="muted">Loading…</p>}>
        <Show when={(agents() ?? []).length > 0} fallback={<p class="muted">No machines have connected yet.</p>}>
          <ul class="fleet-list">
            <For each={agents()}>{(agent) => <MachineCard agent={agent} details={session.operator()} />}</For>
          </ul>
        </Show>
      </Show>
      <Show when={session.operator()}>
        <EnrollmentBox />
      </Show>
    </section>
  );
}

function MachineCard(props: { agent: AgentView; details: boolean }) {
  const hw = () => props.agent.hardware;
  return (
    <li class="fleet-card" data-testid="machine" data-agent-name={props.agent.name}>
      <div class="agent-main">
        <h2 class="agent-name">{props.agent.name}</h2>
        <StatusBadge status={props.agent.status} />
      </div>
      <p class="muted" data-testid="last-seen">
        last seen {formatTime(props.agent.last_seen_at)}
      </p>
      <dl class="hardware" data-testid="hardware">
        <dt>CPU</dt>
        <dd>{hw().cpu_model}</dd>
        <dt>Cores</dt>
        <dd>
          {hw().cpu_cores} logical, {hw().cpu_physical_cores} physical
        </dd>
        <dt>Memory</dt>
        <dd>{formatBytes(hw().memory_bytes)}</dd>
        <dt>GPUs</dt>
        <dd>{hw().gpus.length > 0 ? hw().gpus.map(describeGpu).join(", ") : "none"}</dd>
        <dt>System</dt>
        <dd>
          {hw().os} {hw().arch}
        </dd>
      </dl>
      <Show when={props.details}>
        <h3>Engines</h3>
        <EngineList backends={props.agent.backends} />
      </Show>
    </li>
  );
}
