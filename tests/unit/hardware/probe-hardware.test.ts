import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { hardwareIdOf } from "../../../agent/probes/hardware-id.ts";
import { type HardwareProbeDeps, probeHardware } from "../../../agent/probes/probe-hardware.ts";
import type { ProbeOutput } from "../../../agent/probes/run-probe-command.ts";
import { runProbeCommand } from "../../../agent/probes/run-probe-command.ts";
import { silentLogger } from "../../../coordinator/protocol/logger.ts";

const fixture = (path: string) => readFileSync(new URL(`../../fixtures/hardware/${path}`, import.meta.url), "utf8");

function deps(answers: Record<string, ProbeOutput>, overrides: Partial<HardwareProbeDeps> = {}): HardwareProbeDeps {
  return {
    platform: "linux",
    run: async (command, args) =>
      answers[`${command} ${args[0]}`] ??
      answers[command] ?? { ok: false, reason: `${command} is not installed (not on PATH)` },
    cpu: async () => ({ manufacturer: "Intel", brand: "Xeon", physicalCores: 16, speed: 2.1, speedMax: 3.8 }),
    mem: async () => ({ total: 128 * 1024 ** 3 }),
    osInfo: async () => ({ distro: "Ubuntu", release: "24.04", platform: "linux", kernel: "6.8.0" }),
    ...overrides,
  };
}

afterEach(() => vi.useRealTimers());

describe("probeHardware", () => {
  it("reads the H200 from nvidia-smi and the portable part from systeminformation", async () => {
    const hardware = await probeHardware(
      silentLogger,
      deps({
        "nvidia-smi --query-gpu=index,name,pci.bus_id,driver_version,memory.total,power.limit,compute_cap": {
          ok: true,
          stdout: fixture("nvidia-h200/nvidia-smi-discovery.csv"),
        },
        "nvidia-smi --version": { ok: true, stdout: fixture("nvidia-h200/nvidia-smi-version.txt") },
      }),
    );
    expect(hardware.gpus.map((gpu) => [gpu.name, gpu.vram_bytes, gpu.runtime])).toEqual([
      ["NVIDIA H200", 143771 * 1024 * 1024, "cuda 13.0"],
    ]);
    expect(hardware).toMatchObject({ cpu_physical_cores: 16, cpu_base_mhz: 2100, cpu_max_mhz: 3800, kernel: "6.8.0" });
    expect(hardware.unknown).toEqual({});
  });

  it("says why there is no GPU and leaves physical cores null instead of guessing", async () => {
    const hardware = await probeHardware(
      silentLogger,
      deps({}, { cpu: async () => ({ manufacturer: "", brand: "", physicalCores: 0, speed: 0, speedMax: 0 }) }),
    );
    expect(hardware.gpus).toEqual([]);
    expect(hardware.cpu_physical_cores).toBeNull();
    expect(hardware.unknown?.gpus).toBe(
      "nvidia-smi is not installed (not on PATH); rocm-smi is not installed (not on PATH)",
    );
    expect(hardware.unknown?.cpu_physical_cores).toBe("systeminformation did not report physical cores");
  });

  it("names garbage output as unreadable", async () => {
    const hardware = await probeHardware(
      silentLogger,
      deps({ "nvidia-smi": { ok: true, stdout: "Segmentation fault\n" } }),
    );
    expect(hardware.unknown?.gpus).toContain('nvidia-smi printed output this agent cannot read ("Segmentation fault")');
  });

  it("does not wait for a probe that hangs: the field is null with the timeout as its reason", async () => {
    vi.useFakeTimers();
    const probing = probeHardware(silentLogger, deps({}, { cpu: () => new Promise(() => {}) }));
    await vi.advanceTimersByTimeAsync(5_001);
    const hardware = await probing;
    expect(hardware.cpu_physical_cores).toBeNull();
    expect(hardware.unknown?.cpu_physical_cores).toBe("systeminformation cpu: did not answer within 5 s");
  });

  it("reports a missing tool and a hung tool as reasons, never throwing", async () => {
    expect(await runProbeCommand("bench-race-no-such-tool", [])).toEqual({
      ok: false,
      reason: "bench-race-no-such-tool is not installed (not on PATH)",
    });
    expect(await runProbeCommand(process.execPath, ["-e", "setTimeout(() => {}, 10000)"], 200)).toEqual({
      ok: false,
      reason: `${process.execPath} did not answer within 0.2 s`,
    });
  });
});

describe("hardwareIdOf", () => {
  const { hardware, hardware_id } = JSON.parse(fixture("nvidia-h200/probe-hardware.json"));

  it("is the 32-hex content hash the H200 agent reported", () => {
    expect(hardwareIdOf(hardware)).toBe(hardware_id);
    expect(hardware_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it("ignores the reasons for unknowns and key order, but not a changed driver", () => {
    const reordered = Object.fromEntries(Object.entries(hardware).reverse());
    expect(hardwareIdOf({ ...reordered, unknown: { kernel: "other words" } } as typeof hardware)).toBe(hardware_id);
    const newDriver = { ...hardware, gpus: [{ ...hardware.gpus[0], driver: "590.1" }] };
    expect(hardwareIdOf(newDriver)).not.toBe(hardware_id);
  });
});
