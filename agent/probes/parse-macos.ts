/**
 * Parsers of the macOS probes: `sysctl` lines ("hw.memsize: 68719476736") and
 * `system_profiler SPDisplaysDataType -json`. On Apple Silicon the GPU shares system memory, so
 * its VRAM is null and `unified_memory` is true.
 */
import type { Gpu } from "../../coordinator/protocol/hardware.ts";

export const sysctlKeys = [
  "machdep.cpu.brand_string",
  "hw.physicalcpu",
  "hw.logicalcpu",
  "hw.memsize",
  "hw.cpufrequency",
  "hw.cpufrequency_max",
  "kern.osrelease",
];

/** `key: value` lines into a map; lines of other shapes are skipped. */
export function parseSysctl(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^([\w.]+):\s*(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined && match[2] !== "") values.set(match[1], match[2].trim());
  }
  return values;
}

const gib = 1024 ** 3;
const mib = 1024 ** 2;

/** "8 GB", "1536 MB" into bytes; null for anything else. */
function sizeOf(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const match = /^([\d.]+)\s*(GB|MB)$/i.exec(value.trim());
  if (!match?.[1] || !match[2]) return null;
  return Math.round(Number(match[1]) * (match[2].toUpperCase() === "GB" ? gib : mib));
}

export function parseSpDisplays(json: string): Gpu[] {
  const parsed = JSON.parse(json) as { SPDisplaysDataType?: unknown };
  const entries = Array.isArray(parsed.SPDisplaysDataType) ? parsed.SPDisplaysDataType : [];
  return entries.flatMap((raw: unknown): Gpu[] => {
    if (typeof raw !== "object" || raw === null) return [];
    const entry = raw as Record<string, unknown>;
    const name = typeof entry.sppci_model === "string" ? entry.sppci_model : entry._name;
    if (typeof name !== "string") return [];
    const vendorRaw = String(entry.spdisplays_vendor ?? entry.sppci_vendor ?? "");
    const vendor =
      /apple/i.test(vendorRaw) || /^Apple /.test(name)
        ? "apple"
        : /amd|ati/i.test(vendorRaw)
          ? "amd"
          : /intel/i.test(vendorRaw)
            ? "intel"
            : /nvidia/i.test(vendorRaw)
              ? "nvidia"
              : "unknown";
    const vram = sizeOf(entry.spdisplays_vram) ?? sizeOf(entry.spdisplays_vram_shared);
    const metal = /metal(\d+)/i.exec(String(entry.spdisplays_mtlgpufamilysupport ?? entry.spdisplays_metal ?? ""))?.[1];
    const unified = vendor === "apple";
    return [
      {
        name,
        vendor,
        vram_bytes: unified ? null : vram,
        unified_memory: unified,
        driver: null,
        runtime: metal ? `metal ${metal}` : null,
        pci_bus: null,
        compute_capability: null,
        power_limit_w: null,
      },
    ];
  });
}
