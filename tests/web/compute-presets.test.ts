import { describe, expect, it } from "vitest";
import type { RunList, RunView } from "../../coordinator/protocol/api.ts";
import type { Hardware } from "../../coordinator/protocol/hardware.ts";
import {
  computePresetChoices,
  lastSieveRate,
  roundDownNicely,
  sizeForSeconds,
} from "../../web/src/lib/compute-presets.ts";

const hardware = (cores: number): Hardware => ({
  cpu_model: "cpu",
  cpu_cores: cores,
  cpu_physical_cores: cores,
  memory_bytes: 1,
  os: "linux",
  arch: "x64",
  gpus: [],
});

describe("compute presets", () => {
  it("offers the original three sizes and the ten-second choice", () => {
    expect(computePresetChoices.map((choice) => [choice.algorithm, choice.n])).toEqual([
      ["segmented_sieve", 50_000_000],
      ["simple_sieve", 20_000_000],
      ["trial_division", 2_000_000],
      ["segmented_sieve", null],
    ]);
  });

  it("rounds down to 1, 2 or 5 times a power of ten", () => {
    expect(roundDownNicely(37_400_000)).toBe(20_000_000);
    expect(roundDownNicely(99)).toBe(50);
    expect(roundDownNicely(1_000)).toBe(1_000);
  });

  it("sizes n for the slowest machine, measured rates over core-count guesses", () => {
    const agents = [
      { id: "fast", hardware: hardware(16) },
      { id: "slow", hardware: hardware(2) },
    ];
    expect(sizeForSeconds(agents, new Map(), 10)).toBe(20_000_000_000);
    expect(sizeForSeconds(agents, new Map([["slow", 3.3e8]]), 10)).toBe(2_000_000_000);
    expect(sizeForSeconds([], new Map(), 10)).toBe(50_000_000);
  });

  it("reads the machine's numbers/s from its latest segmented-sieve race, skipping drag races", async () => {
    const listed: RunList = {
      runs: [
        { id: "drag", params: { algorithm: "segmented_sieve", preset: "drag_race" } },
        { id: "sieve", params: { algorithm: "segmented_sieve", n: 1e9 } },
      ].map((run) => ({
        ...run,
        workload: "compute",
        status: "done",
        repeats: 1,
        warmup: 0,
        ghost_run_id: null,
        name: null,
        share_url: "",
        created_at: "2026-01-01T00:00:00.000Z",
        started_at: null,
        finished_at: null,
        lanes: [],
      })),
      next_cursor: null,
    };
    const opened: string[] = [];
    const client = {
      listRuns: async () => listed,
      getRun: async (id: string) => {
        opened.push(id);
        return {
          lanes: [{ agent_id: "box", status: "done", summary: { numbers_per_sec: { median: 4.2e9 } } }],
        } as unknown as RunView;
      },
    };
    expect(await lastSieveRate(client, "box")).toBe(4.2e9);
    expect(opened).toEqual(["sieve"]);
    expect(
      await lastSieveRate({ ...client, listRuns: async () => ({ runs: [], next_cursor: null }) }, "box"),
    ).toBeNull();
  });
});
