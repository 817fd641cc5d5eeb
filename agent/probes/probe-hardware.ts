/**
 * What this machine is: CPU, memory, OS and GPUs, read once at agent start-up. Every field
 * falls back to what Node itself knows, so a missing tool never stops an agent from joining.
 */
import { createHash } from "node:crypto";
import os from "node:os";
import si from "systeminformation";
import type { Gpu, Hardware } from "../../coordinator/protocol/hardware.ts";

const mib = 1024 * 1024;

export async function probeHardware(): Promise<Hardware> {
  const [cpu, mem, osInfo, graphics] = await Promise.all([
    si.cpu().catch(() => null),
    si.mem().catch(() => null),
    si.osInfo().catch(() => null),
    si.graphics().catch(() => null),
  ]);
  const logical = os.availableParallelism();
  const gpus: Gpu[] = (graphics?.controllers ?? [])
    .filter((c) => c.model || c.name)
    .map((c) => ({
      name: c.name || c.model,
      vendor: c.vendor || "unknown",
      vram_bytes: Math.max(0, Math.round((c.vram ?? 0) * mib)),
      unified_memory: Boolean(c.vramDynamic),
      driver: c.driverVersion || null,
    }));
  const cpuModel = os.cpus()[0]?.model || [cpu?.manufacturer, cpu?.brand].filter(Boolean).join(" ") || "unknown CPU";
  return {
    cpu_model: cpuModel.trim(),
    cpu_cores: cpu?.cores || logical,
    cpu_physical_cores: cpu?.physicalCores || logical,
    memory_bytes: mem?.total ?? os.totalmem(),
    os: osInfo
      ? `${osInfo.distro} ${osInfo.release} (${osInfo.platform} ${os.release()})`.trim()
      : `${os.type()} ${os.release()}`,
    arch: os.arch(),
    gpus,
  };
}

/** A stable short id of the hardware snapshot, for provenance. */
export function hardwareIdOf(hardware: Hardware): string {
  const { cpu_model, cpu_cores, memory_bytes, arch, gpus } = hardware;
  const digest = createHash("sha256").update(JSON.stringify({ cpu_model, cpu_cores, memory_bytes, arch, gpus }));
  return digest.digest("hex").slice(0, 16);
}
