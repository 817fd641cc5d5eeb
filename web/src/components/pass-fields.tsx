// Repeats and warm-up passes, which every workload's section of the new-race form asks for,
// starting from the lab's defaults (GET /api/settings).
import { type Accessor, createSignal, type Setter } from "solid-js";
import type { LabSettings } from "../../../coordinator/protocol/lab-settings.ts";
import { NumberField } from "./form-field.tsx";

export interface PassCounts {
  repeats: Accessor<string>;
  setRepeats: Setter<string>;
  warmup: Accessor<string>;
  setWarmup: Setter<string>;
}

/** The two fields' text, starting from the lab's defaults. */
export function createPassCounts(defaults: Pick<LabSettings, "repeats" | "warmup">): PassCounts {
  const [repeats, setRepeats] = createSignal(String(defaults.repeats));
  const [warmup, setWarmup] = createSignal(String(defaults.warmup));
  return { repeats, setRepeats, warmup, setWarmup };
}

export function PassFields(props: {
  prefix: string;
  counts: PassCounts;
  errors: { repeats?: string | undefined; warmup?: string | undefined };
}) {
  return (
    <>
      <NumberField
        prefix={props.prefix}
        name="repeats"
        label="Repeats"
        value={props.counts.repeats()}
        onInput={props.counts.setRepeats}
        error={props.errors.repeats}
      />
      <NumberField
        prefix={props.prefix}
        name="warmup"
        label="Warm-up passes"
        value={props.counts.warmup()}
        onInput={props.counts.setWarmup}
        error={props.errors.warmup}
      />
    </>
  );
}
