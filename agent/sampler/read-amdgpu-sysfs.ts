/**
 * AMD GPU figures from the amdgpu driver's sysfs files, the same counters rocm-smi prints
 * (`gpu_busy_percent`, `mem_info_vram_used`, hwmon `power1_average` in microwatts and `temp1_input`
 * in millidegrees). Read every second without starting a process, unlike rocm-smi (a Python tool).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { GpuSample } from "../../coordinator/protocol/runtime-sample.ts";

interface AmdCard {
  index: number;
  device: string;
  hwmon: string | null;
}

/** The amdgpu cards under `root` (/sys/class/drm), by card number. */
export function findAmdCards(root = "/sys/class/drm"): AmdCard[] {
  let names: string[];
  try {
    names = readdirSync(root).filter((name) => /^card\d+$/.test(name));
  } catch {
    return [];
  }
  return names.flatMap((name, index) => {
    const device = join(root, name, "device");
    if (read(join(device, "vendor")) !== "0x1002") return [];
    let hwmon: string | null = null;
    try {
      const first = readdirSync(join(device, "hwmon"))[0];
      hwmon = first ? join(device, "hwmon", first) : null;
    } catch {}
    return [{ index, device, hwmon }];
  });
}

export function readAmdCard(card: AmdCard): GpuSample {
  const num = (file: string | null) => {
    const text = file ? read(file) : null;
    const n = text === null ? Number.NaN : Number(text);
    return Number.isFinite(n) ? n : null;
  };
  const util = num(join(card.device, "gpu_busy_percent"));
  const power =
    num(card.hwmon ? join(card.hwmon, "power1_average") : null) ??
    num(card.hwmon ? join(card.hwmon, "power1_input") : null);
  const temp = num(card.hwmon ? join(card.hwmon, "temp1_input") : null);
  return {
    index: card.index,
    util_percent: util === null ? null : Math.min(100, Math.max(0, util)),
    vram_used_bytes: num(join(card.device, "mem_info_vram_used")),
    power_w: power === null ? null : power / 1e6,
    temp_c: temp === null ? null : temp / 1000,
  };
}

function read(file: string): string | null {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return null;
  }
}
