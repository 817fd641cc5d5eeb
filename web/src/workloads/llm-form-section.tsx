// The llm part of the new-race form: lanes picked as (machine, engine, model), several per machine
// allowed, then the prompt and its parameters. Each field's mistake shows beside it, in the words
// of the protocol's schema; lanes the preflight says cannot run stop the race before it is sent.

import { createMemo, createSignal, For, Index, Show } from "solid-js";
import type { AgentView } from "../../../coordinator/protocol/api.ts";
import { llmPromptPresets } from "../../../coordinator/protocol/llm.ts";
import { digestMismatches, preflightLane } from "../../../coordinator/protocol/preflight.ts";
import { FitBadge } from "../components/fit-badge.tsx";
import { FormField, fieldInputProps, NumberField } from "../components/form-field.tsx";
import { createPassCounts, PassFields } from "../components/pass-fields.tsx";
import { PreflightBanner, type PreflightItem } from "../components/preflight-banner.tsx";
import { parseNumberInput } from "../lib/format.ts";
import { type LlmField, type LlmLaneChoice, parseLlmForm } from "../lib/llm-form.ts";
import { LlmModelPicker } from "./llm-model-picker.tsx";
import type { FormSectionProps } from "./registry.ts";

type PresetName = keyof typeof llmPromptPresets;
const presetNames = Object.keys(llmPromptPresets) as PresetName[];
const defaultContext = 4096;

export function LlmFormSection(props: FormSectionProps) {
  const [lanes, setLanes] = createSignal<readonly LlmLaneChoice[]>([]);
  const [preset, setPreset] = createSignal<PresetName | "custom">("short");
  const [prompt, setPrompt] = createSignal<string>(llmPromptPresets.short.prompt);
  const [maxTokens, setMaxTokens] = createSignal(String(llmPromptPresets.short.max_tokens));
  const [numCtx, setNumCtx] = createSignal(String(defaultContext));
  const [temperature, setTemperature] = createSignal("0.2");
  const [seed, setSeed] = createSignal("42");
  const [cachePrompt, setCachePrompt] = createSignal(false);
  const passes = createPassCounts(props.defaults);
  const [force, setForce] = createSignal(false);
  const [errors, setErrors] = createSignal<Partial<Record<LlmField, string>>>({});

  const contextTokens = () => parseNumberInput(numCtx()) ?? defaultContext;
  const agentById = (id: string): AgentView | undefined => props.agents.find((agent) => agent.id === id);
  const checks = createMemo(() =>
    lanes().map((lane) => {
      const agent = agentById(lane.agent);
      return agent ? preflightLane(agent, lane, { num_ctx: contextTokens() }) : null;
    }),
  );
  /** the Ollama models of the lanes, each once: a machine whose Ollama lacks one is offered a pull */
  const wantedOllamaModels = createMemo(() => [
    ...new Set(lanes().flatMap((lane) => (lane.backend === "ollama" ? [lane.model] : []))),
  ]);
  const anyBlocked = () => checks().some((check) => check === null || !check.ready);
  /** the choice counts only while a lane fails the check (the box is hidden otherwise) */
  const forced = () => force() && anyBlocked();
  const preflightItems = (): PreflightItem[] =>
    checks().flatMap((check, i) => {
      const lane = lanes()[i];
      if (!lane || check === null || check.ready) return [];
      const machine = `${agentById(lane.agent)?.name ?? lane.agent} (${lane.model})`;
      return [{ machine, reason: check.problems.join(" "), outcome: forced() ? "raced" : "skipped" } as const];
    });
  const mismatched = () => new Set(digestMismatches(checks().map((check) => ({ model: check?.model ?? null }))));

  const choosePreset = (name: string) => {
    const chosen = presetNames.find((known) => known === name);
    if (!chosen) return;
    setPreset(chosen);
    setPrompt(llmPromptPresets[chosen].prompt);
    setMaxTokens(String(llmPromptPresets[chosen].max_tokens));
  };

  props.bind(() => {
    const result = parseLlmForm({
      lanes: lanes(),
      prompt: prompt(),
      maxTokens: maxTokens(),
      numCtx: numCtx(),
      temperature: temperature(),
      seed: seed(),
      cachePrompt: cachePrompt(),
      repeats: passes.repeats(),
      warmup: passes.warmup(),
      force: forced(),
    });
    setErrors("fields" in result ? result.fields : {});
    if (!result.ok || forced()) return result;
    const blocked = checks().flatMap((check, i) => {
      if (check === null) return [`Lane ${i + 1}: its machine is no longer known.`];
      return check.ready ? [] : [`Lane ${i + 1}: ${check.problems.join(" ")}`];
    });
    if (blocked.length === 0) return result;
    return { ok: false, error: `${blocked.join(" ")} Remove the lane, or tick "Race them anyway".` };
  });

  return (
    <>
      <fieldset>
        <legend>Machines and models</legend>
        <LlmModelPicker
          agents={props.agents}
          numCtx={contextTokens()}
          onAdd={(lane) => setLanes((before) => [...before, lane])}
          wantedOllamaModels={wantedOllamaModels()}
          onPulled={() => props.refreshAgents?.()}
        />
      </fieldset>

      <fieldset>
        <legend>Lanes</legend>
        <Show when={lanes().length > 0} fallback={<p class="muted">No lane yet: add a model from a machine above.</p>}>
          <ol class="llm-lanes" data-testid="lane-list">
            <Index each={lanes()}>
              {(lane, i) => (
                <li data-testid="lane-choice">
                  <span>
                    {agentById(lane().agent)?.name ?? lane().agent} · {lane().backend} · {lane().model}
                  </span>
                  <Show when={lane().backend !== "mock" && checks()[i]}>
                    {(check) => <FitBadge fit={check().fit} />}
                  </Show>
                  <button
                    type="button"
                    data-testid="remove-lane"
                    onClick={() => setLanes((before) => before.filter((_, index) => index !== i))}
                  >
                    Remove
                  </button>
                  <For each={[...(checks()[i]?.problems ?? []), ...(checks()[i]?.warnings ?? [])]}>
                    {(message) => <p class="lane-note">{message}</p>}
                  </For>
                  <Show when={mismatched().has(i)}>
                    <p class="lane-note">This model's digest differs from another lane's copy of it.</p>
                  </Show>
                </li>
              )}
            </Index>
          </ol>
          <Show when={anyBlocked()}>
            <label class="check">
              <input
                type="checkbox"
                name="force"
                checked={force()}
                onChange={(event) => setForce(event.currentTarget.checked)}
              />
              Race them anyway: lanes that fail the check are sent, not skipped
            </label>
          </Show>
        </Show>
      </fieldset>

      <PreflightBanner items={preflightItems()} />

      <fieldset class="params">
        <legend>Prompt and parameters</legend>
        <label class="wide">
          Preset
          <select name="preset" value={preset()} onChange={(event) => choosePreset(event.currentTarget.value)}>
            <For each={presetNames}>{(name) => <option value={name}>{llmPromptPresets[name].label}</option>}</For>
            <option value="custom" disabled>
              Custom
            </option>
          </select>
        </label>
        <FormField prefix="llm" name="prompt" label="Prompt" error={errors().prompt} wide>
          <textarea
            {...fieldInputProps("llm", "prompt", errors().prompt)}
            rows={4}
            value={prompt()}
            onInput={(event) => {
              setPrompt(event.currentTarget.value);
              setPreset("custom");
            }}
          />
        </FormField>
        <NumberField
          prefix="llm"
          name="max_tokens"
          label="Max tokens"
          value={maxTokens()}
          onInput={setMaxTokens}
          error={errors().max_tokens}
        />
        <NumberField
          prefix="llm"
          name="num_ctx"
          label="Context (tokens)"
          value={numCtx()}
          onInput={setNumCtx}
          error={errors().num_ctx}
        />
        <NumberField
          prefix="llm"
          name="temperature"
          label="Temperature"
          value={temperature()}
          onInput={setTemperature}
          error={errors().temperature}
        />
        <NumberField prefix="llm" name="seed" label="Seed" value={seed()} onInput={setSeed} error={errors().seed} />
        <PassFields prefix="llm" counts={passes} errors={errors()} />
        <label class="check">
          <input
            type="checkbox"
            name="cache_prompt"
            checked={cachePrompt()}
            onChange={(event) => setCachePrompt(event.currentTarget.checked)}
          />
          Let the engine reuse a cached prompt (prompt speed is then not measured)
        </label>
      </fieldset>
    </>
  );
}
