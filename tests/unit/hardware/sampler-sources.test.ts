import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openRapl } from "../../../agent/sampler/create-rapl-reader.ts";
import { findAmdCards, readAmdCard } from "../../../agent/sampler/read-amdgpu-sysfs.ts";
import { startNvidiaSampler } from "../../../agent/sampler/start-nvidia-sampler.ts";
import { silentLogger } from "../../../coordinator/protocol/logger.ts";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "bench-race-sysfs-"));
  dirs.push(dir);
  return dir;
};
const write = (file: string, text: string) => {
  mkdirSync(join(file, ".."), { recursive: true });
  writeFileSync(file, text);
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("RAPL reader", () => {
  it("turns the package energy counters into watts, across a counter wrap", () => {
    const root = tempDir();
    write(join(root, "intel-rapl:0", "energy_uj"), "1000000");
    write(join(root, "intel-rapl:0", "max_energy_range_uj"), "2000000");
    write(join(root, "intel-rapl:0:0", "energy_uj"), "5"); // a sub-domain (core): not counted
    const opened = openRapl(root);
    if (!opened.ok) throw new Error(opened.reason);
    expect(opened.reader.read(0)).toBeNull();
    write(join(root, "intel-rapl:0", "energy_uj"), "1500000");
    expect(opened.reader.read(1000)).toBe(0.5);
    write(join(root, "intel-rapl:0", "energy_uj"), "500000"); // wrapped: 500000 to the top, 500000 after
    expect(opened.reader.read(2000)).toBe(1);
  });

  it("says why when there is no RAPL or it cannot be read", () => {
    expect(openRapl(join(tempDir(), "missing"))).toMatchObject({ ok: false });
    const empty = tempDir();
    expect(openRapl(empty)).toEqual({ ok: false, reason: `${empty} has no intel-rapl package domain` });
    const unreadable = tempDir();
    mkdirSync(join(unreadable, "intel-rapl:0"));
    expect(openRapl(unreadable)).toMatchObject({ ok: false, reason: expect.stringContaining("not readable") });
  });
});

describe("amdgpu sysfs", () => {
  it("reads an AMD card's busy percent, VRAM, power and temperature, and skips other vendors", () => {
    const root = tempDir();
    const device = join(root, "card0", "device");
    write(join(device, "vendor"), "0x1002\n");
    write(join(device, "gpu_busy_percent"), "87\n");
    write(join(device, "mem_info_vram_used"), "1119879168\n");
    write(join(device, "hwmon", "hwmon3", "power1_average"), "28000000\n");
    write(join(device, "hwmon", "hwmon3", "temp1_input"), "41000\n");
    write(join(root, "card1", "device", "vendor"), "0x10de\n");
    const cards = findAmdCards(root);
    expect(cards).toHaveLength(1);
    expect(cards.map(readAmdCard)).toEqual([
      { index: 0, util_percent: 87, vram_used_bytes: 1119879168, power_w: 28, temp_c: 41 },
    ]);
  });
});

describe("nvidia-smi sampler", () => {
  it("reads the long-lived process's lines as they come, per GPU", async () => {
    const dir = tempDir();
    const script = join(dir, "nvidia-smi");
    writeFileSync(
      script,
      "#!/bin/sh\nprintf '0, 97, 20311, 431.22, 71\\n1, [N/A], 1022, [N/A], 44\\n'\nexec sleep 30\n",
    );
    chmodSync(script, 0o755);
    let now = 0;
    const sampler = startNvidiaSampler(silentLogger, () => now, script);
    try {
      await vi.waitFor(() => expect(sampler.latest(now)).toHaveLength(2));
      expect(sampler.latest(now)[0]).toEqual({
        index: 0,
        util_percent: 97,
        vram_used_bytes: 20311 * 1024 * 1024,
        power_w: 431.22,
        temp_c: 71,
      });
      now = 3001;
      expect(sampler.latest(now)).toEqual([]);
    } finally {
      sampler.stop();
    }
  });
});
