// Every machine that has joined, with its status, when it was last seen and its hardware. The
// operator also sees each machine's engines (with their errors and models), edits its overrides
// of discovery, and sees how to add one. A figure discovery could not read says "unknown" and why.
// The operator can revoke a machine (after confirming): it is disconnected and refused from then on.
import { createEffect, createResource, createSignal, For, onCleanup, Show } from "solid-js";
import type { AgentView } from "../../../coordinator/protocol/api.ts";
import type { Gpu } from "../../../coordinator/protocol/hardware.ts";
import type { MachineSample } from "../../../coordinator/protocol/runtime-sample.ts";
import { EngineList } from "../components/engine-list.tsx";
import { EnrollmentBox } from "../components/enrollment-box.tsx";
import { ErrorAlert } from "../components/error-alert.tsx";
import { OverridesEditor } from "../components/overrides-editor.tsx";
import { StatusBadge } from "../components/status-badge.tsx";
import { api } from "../lib/api-client.ts";
import { errorText } from "../lib/error-text.ts";
import { formatBytes, formatTime } from "../lib/format.ts";
import { pageTitle, useDocumentTitle } from "../lib/use-document-title.ts";
import { createFleetStream, type FleetStream } from "../stores/fleet-stream.ts";
import { useSession } from "../stores/session-store.tsx";

const describeGpu = (gpu: Gpu): string =>
  gpu.vram_bytes && !gpu.unified_memory ? `${gpu.name} (${formatBytes(gpu.vram_bytes)})` : gpu.name;

export function FleetPage() {
  useDocumentTitle(() => pageTitle("Fleet"));
  const session = useSession();
  const [agents, { refetch }] = createResource(() => api.listAgents());
  // only the operator may watch the lab room: machines' live figures
  const [stream, setStream] = createSignal<FleetStream | null>(null);
  createEffect(() => {
    if (!session.operator() || stream()) return;
    setStream(createFleetStream());
  });
  onCleanup(() => stream()?.close());
  // the lab reports a machine coming, going or with new hardware: read the fleet again (not on connect)
  createEffect((seen: number) => {
    const changes = stream()?.changes() ?? 0;
    if (changes > Math.max(seen, 1)) void refetch();
    return Math.max(seen, changes);
  }, 0);
  return (
    <section>
      <h1>Fleet</h1>
      <ErrorAlert message={agents.error ? errorText(agents.error) : null} />
      <Show when={agents.state === "ready"} fallback={<p class="muted">Loading…</p>}>
        <Show when={(agents() ?? []).length > 0} fallback={<p class="muted">No machines have connected yet.</p>}>
          <ul class="fleet-list">
            <For each={agents()}>
              {(agent) => (
                <MachineCard
                  agent={agent}
                  details={session.operator()}
                  sample={stream()?.sample(agent.id) ?? null}
                  onRevoked={refetch}
                />
              )}
            </For>
          </ul>
        </Show>
      </Show>
      <Show when={session.operator()}>
        <EnrollmentBox />
      </Show>
    </section>
  );
}

/** "unknown" with the probe's reason as a tooltip */
function Unknown(props: { reason: string | undefined }) {
  return (
    <span class="muted" title={props.reason ?? "not reported"}>
      unknown
    </span>
  );
}

/** "CPU 12 % · memory 3.0 GiB · GPU 0: 97 %, 420 W, 60 °C" */
function describeSample(sample: MachineSample): string {
  const parts = [
    sample.cpu_percent === null ? null : `CPU ${Math.round(sample.cpu_percent)} %`,
    sample.memory_used_bytes === null ? null : `memory ${formatBytes(sample.memory_used_bytes)}`,
    ...sample.gpus.map((gpu) =>
      [
        `GPU ${gpu.index}:`,
        [
          gpu.util_percent === null ? null : `${Math.round(gpu.util_percent)} %`,
          gpu.power_w === null ? null : `${Math.round(gpu.power_w)} W`,
          gpu.temp_c === null ? null : `${Math.round(gpu.temp_c)} °C`,
        ]
          .filter(Boolean)
          .join(", "),
      ].join(" "),
    ),
    sample.cpu_power_w === null || sample.cpu_power_w === undefined
      ? null
      : `CPU package ${Math.round(sample.cpu_power_w)} W`,
  ];
  return parts.filter(Boolean).join(" · ");
}

function MachineCard(props: { agent: AgentView; details: boolean; sample: MachineSample | null; onRevoked(): void }) {
  const hw = () => props.agent.hardware;
  const [revoking, setRevoking] = createSignal(false);
  const [revokeError, setRevokeError] = createSignal<string | null>(null);
  const revoke = async () => {
    const question = `Revoke ${props.agent.name}? It is disconnected now, its running lanes end, and it cannot connect again until it is enrolled anew.`;
    if (!window.confirm(question)) return;
    setRevoking(true);
    setRevokeError(null);
    try {
      await api.revokeAgent(props.agent.id);
      props.onRevoked();
    } catch (cause) {
      setRevokeError(errorText(cause));
    } finally {
      setRevoking(false);
    }
  };
  const [overrides, setOverrides] = createSignal(props.agent.overrides ?? null);
  const [editing, setEditing] = createSignal(false);
  const [probeNote, setProbeNote] = createSignal<string | null>(null);
  const probeAgain = async () => {
    try {
      const { reached } = await api.probeHardware(props.agent.id);
      setProbeNote(
        reached.length > 0
          ? "Asked the machine to probe again; its new hardware shows here once it reports."
          : "The machine is not connected: start its agent, which probes at start.",
      );
    } catch (cause) {
      setProbeNote(errorText(cause));
    }
  };
  const overridden = (field: "memory_bytes" | "cpu_physical_cores" | "gpu_vram_bytes") => {
    const value = overrides()?.[field];
    return value === null || value === undefined ? null : value;
  };
  return (
    <li
      class="fleet-card"
      classList={{ revoked: props.agent.revoked_at !== null }}
      data-testid="machine"
      data-agent-name={props.agent.name}
    >
      <div class="agent-main">
        <h2 class="agent-name">{overrides()?.label ?? props.agent.name}</h2>
        <Show when={props.agent.revoked_at} fallback={<StatusBadge status={props.agent.status} />}>
          <StatusBadge status="revoked" testId="machine-revoked" />
        </Show>
      </div>
      <p class="muted" data-testid="last-seen">
        last seen {formatTime(props.agent.last_seen_at)}
        <Show when={props.agent.revoked_at}>{(at) => <> · revoked {formatTime(at())}</>}</Show>
      </p>
      <dl class="hardware" data-testid="hardware">
        <dt>CPU</dt>
        <dd>{hw().cpu_model}</dd>
        <dt>Cores</dt>
        <dd>
          {hw().cpu_cores} logical,{" "}
          <Show
            when={overridden("cpu_physical_cores") ?? hw().cpu_physical_cores}
            fallback={<Unknown reason={hw().unknown?.cpu_physical_cores} />}
          >
            {(physical) => physical()}
          </Show>{" "}
          physical
          <OverrideTag on={overridden("cpu_physical_cores") !== null} />
        </dd>
        <dt>Memory</dt>
        <dd>
          {formatBytes(overridden("memory_bytes") ?? hw().memory_bytes)}
          <OverrideTag on={overridden("memory_bytes") !== null} />
        </dd>
        <dt>GPUs</dt>
        <dd>
          <Show
            when={hw().gpus.length > 0}
            fallback={hw().unknown?.gpus ? <Unknown reason={hw().unknown?.gpus} /> : "none"}
          >
            {hw().gpus.map(describeGpu).join(", ")}
          </Show>
          <Show when={overridden("gpu_vram_bytes")}>
            {(vram) => (
              <>
                {" "}
                ({formatBytes(vram())} each)
                <OverrideTag on={true} />
              </>
            )}
          </Show>
        </dd>
        <dt>System</dt>
        <dd>
          {hw().os} {hw().arch}
        </dd>
      </dl>
      <Show when={props.sample}>
        {(sample) => (
          <p class="muted" data-testid="live-figures">
            now: {describeSample(sample())}
          </p>
        )}
      </Show>
      <Show when={overrides()?.notes}>{(notes) => <p class="muted">{notes()}</p>}</Show>
      <Show when={props.details}>
        <h3>Engines</h3>
        <EngineList backends={props.agent.backends} />
        <button type="button" class="link" onClick={() => setEditing(!editing())} data-testid="edit-overrides">
          {editing() ? "Close overrides" : "Override hardware"}
        </button>{" "}
        <button type="button" class="link" onClick={probeAgain} data-testid="probe-again">
          Probe hardware again
        </button>
        <Show when={probeNote()}>
          {(note) => (
            <p class="muted" role="status">
              {note()}
            </p>
          )}
        </Show>
        <Show when={editing()}>
          <OverridesEditor
            agentId={props.agent.id}
            overrides={overrides()}
            onSaved={(saved) => {
              setOverrides(saved);
              setEditing(false);
            }}
          />
        </Show>
        <Show when={props.agent.revoked_at === null}>
          <div class="machine-actions">
            <button type="button" class="danger" onClick={revoke} disabled={revoking()} data-testid="revoke-button">
              Revoke machine
            </button>
          </div>
        </Show>
        <ErrorAlert message={revokeError()} />
      </Show>
    </li>
  );
}

function OverrideTag(props: { on: boolean }) {
  return (
    <Show when={props.on}>
      <span class="override-tag muted" title="set by the operator; fit checks use it instead of what the agent found">
        (override)
      </span>
    </Show>
  );
}
