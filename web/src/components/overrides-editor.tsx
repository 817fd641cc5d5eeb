// The operator's overrides of one machine (label, notes, memory, physical cores, GPU memory):
// stored by the API and used instead of discovery when lanes are checked for fit. Sizes are typed
// in GiB here and sent in bytes; the API names any field it refuses.
import { createSignal } from "solid-js";
import type { AgentOverrides } from "../../../coordinator/protocol/overrides.ts";
import { api } from "../lib/api-client.ts";
import { errorText } from "../lib/error-text.ts";
import { ErrorAlert } from "./error-alert.tsx";

const gib = 1024 ** 3;
const toGib = (bytes: number | null | undefined) => (bytes ? String(Math.round((bytes / gib) * 100) / 100) : "");
const fromGib = (text: string): number | null => (text.trim() === "" ? null : Math.round(Number(text) * gib));
const fromCount = (text: string): number | null => (text.trim() === "" ? null : Number(text));

export function OverridesEditor(props: {
  agentId: string;
  overrides: AgentOverrides | null;
  onSaved: (overrides: AgentOverrides | null) => void;
}) {
  const start = props.overrides ?? {};
  const [label, setLabel] = createSignal(start.label ?? "");
  const [notes, setNotes] = createSignal(start.notes ?? "");
  const [memory, setMemory] = createSignal(toGib(start.memory_bytes));
  const [cores, setCores] = createSignal(start.cpu_physical_cores ? String(start.cpu_physical_cores) : "");
  const [vram, setVram] = createSignal(toGib(start.gpu_vram_bytes));
  const [unified, setUnified] = createSignal(start.gpu_unified_memory ?? false);
  const [error, setError] = createSignal<string | null>(null);
  const [saving, setSaving] = createSignal(false);

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    setSaving(true);
    try {
      const overrides: AgentOverrides = {
        label: label().trim() || null,
        notes: notes().trim() || null,
        memory_bytes: fromGib(memory()),
        cpu_physical_cores: fromCount(cores()),
        gpu_vram_bytes: fromGib(vram()),
        gpu_unified_memory: unified() ? true : null,
      };
      props.onSaved(await api.saveOverrides(props.agentId, overrides));
    } catch (cause) {
      setError(errorText(cause));
    } finally {
      setSaving(false);
    }
  };

  const field = (name: string, label: string, value: () => string, set: (v: string) => void, type = "text") => (
    <>
      <label for={`${props.agentId}-${name}`}>{label}</label>
      <input
        id={`${props.agentId}-${name}`}
        name={name}
        type={type}
        step="any"
        value={value()}
        onInput={(e) => set(e.currentTarget.value)}
      />
    </>
  );

  return (
    <form class="overrides-form" data-testid="overrides-form" onSubmit={save}>
      {field("label", "Label", label, setLabel)}
      {field("notes", "Notes", notes, setNotes)}
      {field("memory_gib", "Memory (GiB)", memory, setMemory, "number")}
      {field("cpu_physical_cores", "Physical cores", cores, setCores, "number")}
      {field("gpu_vram_gib", "GPU memory (GiB, each)", vram, setVram, "number")}
      <label for={`${props.agentId}-unified`}>Unified memory</label>
      <input
        id={`${props.agentId}-unified`}
        type="checkbox"
        checked={unified()}
        onChange={(e) => setUnified(e.currentTarget.checked)}
      />
      <span />
      <button type="submit" disabled={saving()}>
        Save overrides
      </button>
      <ErrorAlert message={error()} />
    </form>
  );
}
