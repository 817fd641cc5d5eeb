import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSpDisplays, parseSysctl } from "../../../agent/probes/parse-macos.ts";
import { parseNvidiaCudaVersion, parseNvidiaGpus, parseNvidiaSamples } from "../../../agent/probes/parse-nvidia-smi.ts";
import { parseRocmGpus } from "../../../agent/probes/parse-rocm-smi.ts";
import { parsePowermetrics } from "../../../agent/sampler/start-powermetrics.ts";

const fixture = (path: string) => readFileSync(new URL(`../../fixtures/hardware/${path}`, import.meta.url), "utf8");
const mib = 1024 * 1024;

describe("nvidia-smi parsers", () => {
  it("reads the H200's discovery query and CUDA version as recorded", () => {
    const cuda = parseNvidiaCudaVersion(fixture("nvidia-h200/nvidia-smi-version.txt"));
    expect(cuda).toBe("13.0");
    expect(parseNvidiaGpus(fixture("nvidia-h200/nvidia-smi-discovery.csv"), cuda)).toEqual([
      {
        index: 0,
        name: "NVIDIA H200",
        vendor: "nvidia",
        vram_bytes: 143771 * mib,
        unified_memory: false,
        driver: "580.159.04",
        compute_capability: "9.0",
        pci_bus: "00000000:00:06.0",
        runtime: "cuda 13.0",
        power_limit_w: 700,
      },
    ]);
  });

  it("reads the H200 under load: full utilisation and over 400 W", () => {
    expect(parseNvidiaSamples(fixture("nvidia-h200/nvidia-smi-sample-load.csv"))).toEqual([
      { index: 0, util_percent: 100, vram_used_bytes: 531 * mib, power_w: 424.51, temp_c: 49 },
    ]);
    expect(parseNvidiaSamples(fixture("nvidia-h200/nvidia-smi-sample-idle.csv"))[0]?.util_percent).toBe(0);
  });

  it("reads every GPU of a multi-GPU machine and turns [N/A] into null", () => {
    const gpus = parseNvidiaGpus(fixture("nvidia-multi/nvidia-smi-discovery.csv"), null);
    expect(gpus.map((gpu) => [gpu.index, gpu.name, gpu.power_limit_w, gpu.runtime])).toEqual([
      [0, "NVIDIA GeForce RTX 4090", 450, null],
      [1, "NVIDIA GeForce RTX 3090", null, null],
    ]);
    expect(parseNvidiaSamples(fixture("nvidia-multi/nvidia-smi-sample.csv"))[1]).toEqual({
      index: 1,
      util_percent: null,
      vram_used_bytes: 1022 * mib,
      power_w: null,
      temp_c: 44,
    });
  });

  it("finds no GPU in 'No devices were found' or garbage", () => {
    expect(parseNvidiaGpus(fixture("nvidia-multi/nvidia-smi-no-devices.txt"), null)).toEqual([]);
    expect(parseNvidiaGpus("%%%\n\u0000,,\n", null)).toEqual([]);
    expect(parseNvidiaSamples("garbage, 1, 2\n")).toEqual([]);
  });
});

describe("rocm-smi parsers", () => {
  it("reads two MI300X with their memory, bus, gfx version and driver", () => {
    const gpus = parseRocmGpus(fixture("rocm/rocm-smi-discovery-2gpu.json"));
    expect(gpus).toHaveLength(2);
    expect(gpus[1]).toMatchObject({
      index: 1,
      name: "AMD Instinct MI300X",
      vendor: "amd",
      vram_bytes: 205822885888,
      driver: "6.8.5",
      compute_capability: "gfx942",
      pci_bus: "0000:26:00.0",
    });
  });

  it("finds no GPU in an empty answer and throws on garbage", () => {
    expect(parseRocmGpus(fixture("rocm/rocm-smi-no-devices.json"))).toEqual([]);
    expect(() => parseRocmGpus("WARNING: no AMD GPU")).toThrow();
  });
});

describe("macOS parsers", () => {
  it("reads Apple Silicon as unified memory with no VRAM figure", () => {
    expect(parseSpDisplays(fixture("macos/sp-displays-apple-m2-max.json"))).toEqual([
      {
        name: "Apple M2 Max",
        vendor: "apple",
        vram_bytes: null,
        unified_memory: true,
        driver: null,
        runtime: "metal 3",
        pci_bus: null,
        compute_capability: null,
        power_limit_w: null,
      },
    ]);
  });

  it("reads an Intel Mac's two GPUs with their memory", () => {
    const gpus = parseSpDisplays(fixture("macos/sp-displays-intel-amd.json"));
    expect(gpus.map((gpu) => [gpu.vendor, gpu.vram_bytes])).toEqual([
      ["intel", 1536 * mib],
      ["amd", 8 * 1024 * mib],
    ]);
    expect(parseSpDisplays(fixture("macos/sp-displays-none.json"))).toEqual([]);
  });

  it("reads sysctl lines and powermetrics watts", () => {
    const values = parseSysctl(fixture("macos/sysctl-m2-max.txt"));
    expect(values.get("hw.physicalcpu")).toBe("12");
    expect(values.get("hw.memsize")).toBe("68719476736");
    expect(parsePowermetrics(fixture("macos/powermetrics-m2-max.txt"))).toEqual({ cpu_w: 8.213, gpu_w: 14.522 });
  });
});
