// The image part of the new-race form: the machines with ComfyUI, the checkpoint they all run
// (offered from what the picked machines report), the prompt and the sampler's settings. Each
// field's mistake shows beside it, in the words of the protocol's schema.
import { createMemo, createSignal, For } from "solid-js";
import { imageSamplers, imageSchedulers, imageSizes } from "../../../coordinator/protocol/image.ts";
import { AgentPicker, createAgentSelection } from "../components/agent-picker.tsx";
import { FormField, fieldInputProps, NumberField } from "../components/form-field.tsx";
import { createPassCounts, PassFields } from "../components/pass-fields.tsx";
import { type ImageField, parseImageForm } from "../lib/image-form.ts";
import type { FormSectionProps } from "./registry.ts";

export function ImageFormSection(props: FormSectionProps) {
  const { selected, toggle } = createAgentSelection();
  const [checkpoint, setCheckpoint] = createSignal("");
  const [prompt, setPrompt] = createSignal("a lighthouse on a cliff at dusk, oil painting");
  const [negative, setNegative] = createSignal("");
  const [steps, setSteps] = createSignal("30");
  const [width, setWidth] = createSignal("512");
  const [height, setHeight] = createSignal("512");
  const [seed, setSeed] = createSignal("42");
  const [sampler, setSampler] = createSignal<string>("euler");
  const [scheduler, setScheduler] = createSignal<string>("normal");
  const [cfg, setCfg] = createSignal("7");
  const [images, setImages] = createSignal("1");
  const passes = createPassCounts(props.defaults);
  const [errors, setErrors] = createSignal<Partial<Record<ImageField, string>>>({});

  const comfyAgents = createMemo(() => props.agents.filter((agent) => agent.backends.comfyui !== undefined));
  /** checkpoints every picked machine has; all known ones while none is picked */
  const checkpoints = createMemo(() => {
    const picked = comfyAgents().filter((agent) => selected().has(agent.id));
    const lists = (picked.length > 0 ? picked : comfyAgents()).map(
      (agent) => agent.backends.comfyui?.models.map((m) => m.name) ?? [],
    );
    if (lists.length === 0) return [];
    const [first = [], ...rest] = lists;
    return picked.length > 0
      ? first.filter((name) => rest.every((list) => list.includes(name)))
      : [...new Set(lists.flat())];
  });

  props.bind(() => {
    const result = parseImageForm({
      agents: [...selected()],
      checkpoint: checkpoint(),
      prompt: prompt(),
      negativePrompt: negative(),
      steps: steps(),
      width: width(),
      height: height(),
      seed: seed(),
      sampler: sampler(),
      scheduler: scheduler(),
      cfg: cfg(),
      images: images(),
      repeats: passes.repeats(),
      warmup: passes.warmup(),
    });
    setErrors("fields" in result ? result.fields : {});
    return result;
  });

  return (
    <>
      <fieldset>
        <legend>Machines with ComfyUI</legend>
        <AgentPicker agents={comfyAgents()} selected={selected()} onToggle={toggle} />
      </fieldset>

      <fieldset class="params">
        <legend>Workflow: txt2img</legend>
        <label class="wide">
          Checkpoint
          <select name="checkpoint" value={checkpoint()} onChange={(event) => setCheckpoint(event.currentTarget.value)}>
            <option value="">Choose a checkpoint every picked machine has</option>
            <For each={checkpoints()}>{(name) => <option value={name}>{name}</option>}</For>
          </select>
        </label>
        <FormField prefix="image" name="prompt" label="Prompt" error={errors().prompt} wide>
          <textarea
            {...fieldInputProps("image", "prompt", errors().prompt)}
            rows={3}
            value={prompt()}
            onInput={(e) => setPrompt(e.currentTarget.value)}
          />
        </FormField>
        <label class="wide">
          Negative prompt
          <textarea
            name="negative_prompt"
            rows={2}
            value={negative()}
            onInput={(e) => setNegative(e.currentTarget.value)}
          />
        </label>
        <NumberField
          prefix="image"
          name="steps"
          label="Steps"
          value={steps()}
          onInput={setSteps}
          error={errors().steps}
        />
        <SizeField name="width" label="Width" value={width()} onInput={setWidth} />
        <SizeField name="height" label="Height" value={height()} onInput={setHeight} />
        <NumberField
          prefix="image"
          name="seed"
          label="Seed (empty: random)"
          value={seed()}
          onInput={setSeed}
          error={errors().seed}
        />
        <label>
          Sampler
          <select name="sampler" value={sampler()} onChange={(e) => setSampler(e.currentTarget.value)}>
            <For each={imageSamplers}>{(name) => <option value={name}>{name}</option>}</For>
          </select>
        </label>
        <label>
          Scheduler
          <select name="scheduler" value={scheduler()} onChange={(e) => setScheduler(e.currentTarget.value)}>
            <For each={imageSchedulers}>{(name) => <option value={name}>{name}</option>}</For>
          </select>
        </label>
        <NumberField prefix="image" name="cfg" label="CFG" value={cfg()} onInput={setCfg} error={errors().cfg} />
        <NumberField
          prefix="image"
          name="images"
          label="Images per pass"
          value={images()}
          onInput={setImages}
          error={errors().images}
        />
        <PassFields prefix="image" counts={passes} errors={errors()} />
      </fieldset>
    </>
  );
}

function SizeField(props: { name: "width" | "height"; label: string; value: string; onInput(value: string): void }) {
  return (
    <label>
      {props.label}
      <select name={props.name} value={props.value} onChange={(event) => props.onInput(event.currentTarget.value)}>
        <For each={imageSizes}>{(size) => <option value={String(size)}>{size}</option>}</For>
      </select>
    </label>
  );
}
