// The defaults a new race starts with (measured passes and warm-up passes), kept in the lab's
// settings; a value outside the protocol's bounds is brought back inside them before it is saved.
import { For } from "solid-js";
import { type LabSettings, labSettingsSchema } from "../../../coordinator/protocol/lab-settings.ts";

type DefaultField = "repeats" | "warmup";

const fields: readonly { name: DefaultField; label: string; min: number; max: number }[] = [
  { name: "repeats", label: "Repeats", min: 1, max: 100 },
  { name: "warmup", label: "Warm-up passes", min: 0, max: 10 },
];

export function RaceDefaults(props: {
  settings: LabSettings;
  disabled: boolean;
  onChange(next: Pick<LabSettings, DefaultField>): void;
}) {
  const change = (name: DefaultField, text: string, min: number, max: number) => {
    const value = Math.min(max, Math.max(min, Math.round(Number(text)) || min));
    const next = { repeats: props.settings.repeats, warmup: props.settings.warmup, [name]: value };
    props.onChange(labSettingsSchema.pick({ repeats: true, warmup: true }).parse(next));
  };
  return (
    <div class="params">
      <For each={fields}>
        {(field) => (
          <label>
            {field.label}
            <input
              name={`default-${field.name}`}
              type="number"
              min={field.min}
              max={field.max}
              disabled={props.disabled}
              value={props.settings[field.name]}
              onChange={(event) => change(field.name, event.currentTarget.value, field.min, field.max)}
            />
          </label>
        )}
      </For>
    </div>
  );
}
