// The compute part of the new-race form: pick machines, then count primes <= n once or run the
// drag race; checked with the protocol's schemas by parseComputeForm when the race button is pressed.
// A preset fills in the algorithm and n (see compute-presets.ts).
import { createSignal, For, Show } from "solid-js";
import { type ComputeAlgorithm, computeAlgorithms, dragRaceDefaults } from "../../../coordinator/protocol/compute.ts";
import { AgentPicker, createAgentSelection } from "../components/agent-picker.tsx";
import { createPassCounts, PassFields } from "../components/pass-fields.tsx";
import { PreflightBanner, type PreflightItem } from "../components/preflight-banner.tsx";
import { api } from "../lib/api-client.ts";
import { parseComputeForm } from "../lib/compute-form.ts";
import { computePresetChoices, lastSieveRate, sizeForSeconds } from "../lib/compute-presets.ts";
import { formatInteger, parseNumberInput } from "../lib/format.ts";
import type { FormSectionProps } from "./registry.ts";

/** n of a single count unless the user types another. */
const defaultN = 100_000_000;

export function ComputeFormSection(props: FormSectionProps) {
  const { selected, toggle } = createAgentSelection();
  const [algorithm, setAlgorithm] = createSignal<ComputeAlgorithm>("segmented_sieve");
  const [nText, setNText] = createSignal(formatInteger(defaultN));
  const [threadsText, setThreadsText] = createSignal("");
  const passes = createPassCounts(props.defaults);
  const [intervalText, setIntervalText] = createSignal("1");
  const [dragRace, setDragRace] = createSignal(false);
  const [durationText, setDurationText] = createSignal(String(dragRaceDefaults.duration_s));
  const [presetId, setPresetId] = createSignal("custom");
  const [presetNote, setPresetNote] = createSignal<string | null>(null);

  props.bind(() =>
    parseComputeForm({
      agentIds: [...selected()],
      algorithm: algorithm(),
      dragRace: dragRace(),
      n: nText(),
      threads: threadsText(),
      repeats: passes.repeats(),
      warmup: passes.warmup(),
      progressInterval: intervalText(),
      duration: durationText(),
    }),
  );

  const preflightItems = (): PreflightItem[] =>
    props.agents
      .filter((agent) => selected().has(agent.id))
      .flatMap((agent): PreflightItem[] => {
        if (agent.status === "offline")
          return [{ machine: agent.name, reason: "it went offline: start its agent again.", outcome: "skipped" }];
        if (agent.status === "busy")
          return [
            {
              machine: agent.name,
              reason: "it is running another race; its lane starts when that ends.",
              outcome: "waits",
            },
          ];
        return [];
      });

  /** The drag race's classic n replaces the single count's default, and back. */
  const choosePreset = (drag: boolean) => {
    setDragRace(drag);
    const n = parseNumberInput(nText());
    if (drag && n === defaultN) setNText(formatInteger(dragRaceDefaults.n));
    if (!drag && n === dragRaceDefaults.n) setNText(formatInteger(defaultN));
  };

  const applyPreset = async (id: string) => {
    setPresetId(id);
    setPresetNote(null);
    const preset = computePresetChoices.find((choice) => choice.id === id);
    if (!preset) return;
    setDragRace(false);
    setAlgorithm(preset.algorithm);
    if (preset.n !== null) {
      setNText(formatInteger(preset.n));
      return;
    }
    const picked = props.agents.filter((agent) => selected().has(agent.id));
    if (picked.length === 0) {
      setPresetNote("Pick the machines first: n is sized so the slowest of them takes about 10 s.");
      return;
    }
    const rates = new Map<string, number>();
    for (const agent of picked) {
      const rate = await lastSieveRate(api, agent.id).catch(() => null);
      if (rate !== null) rates.set(agent.id, rate);
    }
    setNText(formatInteger(sizeForSeconds(picked, rates, 10)));
    const guessed = picked.filter((agent) => !rates.has(agent.id)).map((agent) => agent.name);
    setPresetNote(
      guessed.length === 0
        ? "Sized from each machine's last segmented-sieve race."
        : `Sized from core counts for ${guessed.join(", ")} (no earlier segmented-sieve race); race once and pick this again for a closer fit.`,
    );
  };

  const tidyN = () => {
    const n = parseNumberInput(nText());
    if (n !== null && Number.isInteger(n)) setNText(formatInteger(n));
  };

  return (
    <>
      <fieldset>
        <legend>Machines</legend>
        <AgentPicker agents={props.agents} selected={selected()} onToggle={toggle} />
      </fieldset>

      <PreflightBanner items={preflightItems()} />

      <fieldset class="params">
        <legend>Compute: count primes ≤ n</legend>
        <label>
          Preset
          <select
            name="preset"
            data-testid="compute-preset"
            value={presetId()}
            onChange={(event) => void applyPreset(event.currentTarget.value)}
          >
            <option value="custom">custom</option>
            <For each={computePresetChoices}>{(choice) => <option value={choice.id}>{choice.label}</option>}</For>
          </select>
        </label>
        <label>
          Race
          <select
            name="race"
            value={dragRace() ? "drag_race" : "count"}
            onChange={(event) => choosePreset(event.currentTarget.value === "drag_race")}
          >
            <option value="count">one count (time it)</option>
            <option value="drag_race">drag race (passes per second)</option>
          </select>
        </label>
        <label>
          Algorithm
          <select
            value={algorithm()}
            onChange={(event) => {
              setPresetId("custom");
              setAlgorithm(parseAlgorithm(event.currentTarget.value));
            }}
          >
            <For each={computeAlgorithms}>{(name) => <option value={name}>{name}</option>}</For>
          </select>
        </label>
        <label>
          n
          <input
            name="n"
            inputmode="decimal"
            value={nText()}
            onInput={(event) => {
              setPresetId("custom");
              setNText(event.currentTarget.value);
            }}
            onBlur={tidyN}
          />
        </label>
        <Show when={presetNote()}>
          {(note) => (
            <p class="muted preset-note" data-testid="preset-note">
              {note()}
            </p>
          )}
        </Show>
        <Show when={dragRace()}>
          <label>
            Duration (s)
            <input
              name="duration_s"
              inputmode="decimal"
              value={durationText()}
              onInput={(event) => setDurationText(event.currentTarget.value)}
            />
          </label>
        </Show>
        <label>
          Threads
          <input
            name="threads"
            inputmode="numeric"
            placeholder="all cores"
            value={threadsText()}
            onInput={(event) => setThreadsText(event.currentTarget.value)}
          />
        </label>
        <PassFields prefix="compute" counts={passes} errors={{}} />
        <label>
          Progress interval (s)
          <input
            name="progress_interval_s"
            inputmode="decimal"
            value={intervalText()}
            onInput={(event) => setIntervalText(event.currentTarget.value)}
          />
        </label>
      </fieldset>
    </>
  );
}

function parseAlgorithm(value: string): ComputeAlgorithm {
  return computeAlgorithms.find((name) => name === value) ?? "segmented_sieve";
}
