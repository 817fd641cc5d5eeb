/**
 * What this machine is: CPU, memory, OS and every GPU, read at agent start-up. systeminformation
 * gives the portable part; the vendor tools (nvidia-smi, rocm-smi, sysctl and system_profiler on
 * macOS) give the GPUs. Each probe has a timeout and fails soft: the field is null (never a guess),
 * `unknown` says why, and the reason is logged; nothing here can stop the agent from joining.
 */
import os from "node:os";
import si from "systeminformation";
import type { Gpu, Hardware } from "../../coordinator/protocol/hardware.ts";
import type { Logger } from "../../coordinator/protocol/logger.ts";
import { parseSpDisplays, parseSysctl, sysctlKeys } from "./parse-macos.ts";
import { nvidiaGpuFields, parseNvidiaCudaVersion, parseNvidiaGpus } from "./parse-nvidia-smi.ts";
import { parseRocmGpus, rocmDiscoveryArgs } from "./parse-rocm-smi.ts";
import { type ProbeOutput, probeTimeoutMs, runProbeCommand } from "./run-probe-command.ts";

export interface HardwareProbeDeps {
  run: (command: string, args: readonly string[]) => Promise<ProbeOutput>;
  platform: NodeJS.Platform;
  /** systeminformation's calls, replaceable in tests */
  cpu: () => Promise<{ manufacturer: string; brand: string; physicalCores: number; speed: number; speedMax: number }>;
  mem: () => Promise<{ total: number }>;
  osInfo: () => Promise<{ distro: string; release: string; platform: string; kernel: string }>;
}

const defaultDeps: HardwareProbeDeps = {
  run: (command, args) => runProbeCommand(command, args),
  platform: process.platform,
  cpu: () => si.cpu(),
  mem: () => si.mem(),
  osInfo: () => si.osInfo(),
};

/** A promise's value, or why it has none (it threw or did not settle in time). */
async function settle<T>(
  name: string,
  work: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; reason: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not answer within ${probeTimeoutMs / 1000} s`)), probeTimeoutMs);
    timer.unref();
  });
  try {
    return { ok: true, value: await Promise.race([work(), timeout]) };
  } catch (err) {
    return { ok: false, reason: `${name}: ${err instanceof Error ? err.message : String(err)}` };
  } finally {
    clearTimeout(timer);
  }
}

const positive = (n: number | undefined | null): number | null => (n && Number.isFinite(n) && n > 0 ? n : null);

export async function probeHardware(log: Logger, deps: HardwareProbeDeps = defaultDeps): Promise<Hardware> {
  const unknown: Record<string, string> = {};
  const [cpu, mem, osInfo, gpuProbe, sysctl] = await Promise.all([
    settle("systeminformation cpu", deps.cpu),
    settle("systeminformation mem", deps.mem),
    settle("systeminformation osInfo", deps.osInfo),
    probeGpus(deps),
    deps.platform === "darwin" ? probeSysctl(deps) : Promise.resolve(new Map<string, string>()),
  ]);
  const sysctlNumber = (key: string) => positive(Number(sysctl.get(key)));
  const logical = os.availableParallelism();
  const cpuModel =
    os.cpus()[0]?.model?.trim() ||
    (cpu.ok ? [cpu.value.manufacturer, cpu.value.brand].filter(Boolean).join(" ") : "") ||
    "unknown CPU";
  const physical = (cpu.ok ? positive(cpu.value.physicalCores) : null) ?? sysctlNumber("hw.physicalcpu");
  if (physical === null)
    unknown.cpu_physical_cores = cpu.ok ? "systeminformation did not report physical cores" : cpu.reason;
  const hzToMhz = (hz: number | null) => (hz === null ? null : Math.round(hz / 1e6));
  const baseMhz =
    (cpu.ok ? positive(Math.round(cpu.value.speed * 1000)) : null) ?? hzToMhz(sysctlNumber("hw.cpufrequency"));
  const maxMhz =
    (cpu.ok ? positive(Math.round(cpu.value.speedMax * 1000)) : null) ?? hzToMhz(sysctlNumber("hw.cpufrequency_max"));
  if (baseMhz === null) unknown.cpu_base_mhz = cpu.ok ? "the CPU does not report its base clock" : cpu.reason;
  if (maxMhz === null) unknown.cpu_max_mhz = cpu.ok ? "the CPU does not report its maximum clock" : cpu.reason;
  if (!mem.ok) unknown.memory_bytes = `${mem.reason}; Node's os.totalmem() used`;
  if (gpuProbe.gpus.length === 0 && gpuProbe.reasons.length > 0) unknown.gpus = gpuProbe.reasons.join("; ");
  gpuProbe.gpus.forEach((gpu, i) => {
    if (gpu.vram_bytes === null && !gpu.unified_memory)
      unknown[`gpus.${i}.vram_bytes`] = "the GPU's tool did not report its memory";
  });
  const hardware: Hardware = {
    cpu_model: cpuModel,
    cpu_cores: logical,
    cpu_physical_cores: physical,
    memory_bytes: mem.ok && mem.value.total > 0 ? mem.value.total : os.totalmem(),
    os: osInfo.ok ? `${osInfo.value.distro} ${osInfo.value.release}`.trim() : `${os.type()} ${os.release()}`,
    arch: os.arch(),
    gpus: gpuProbe.gpus,
    cpu_base_mhz: baseMhz,
    cpu_max_mhz: maxMhz,
    kernel: osInfo.ok && osInfo.value.kernel ? osInfo.value.kernel : os.release(),
    unknown,
  };
  for (const [field, reason] of Object.entries(unknown)) log.info("hardware field unknown", { field, reason });
  return hardware;
}

/** Every GPU the vendor tools report, with the reasons of the tools that answered nothing. */
export async function probeGpus(
  deps: Pick<HardwareProbeDeps, "run" | "platform">,
): Promise<{ gpus: Gpu[]; reasons: string[] }> {
  if (deps.platform === "darwin") return probeMacGpus(deps);
  const [nvidia, amd] = await Promise.all([probeNvidia(deps), probeRocm(deps)]);
  return { gpus: [...nvidia.gpus, ...amd.gpus], reasons: [...nvidia.reasons, ...amd.reasons] };
}

async function probeNvidia(deps: Pick<HardwareProbeDeps, "run">): Promise<{ gpus: Gpu[]; reasons: string[] }> {
  const [query, version] = await Promise.all([
    deps.run("nvidia-smi", [`--query-gpu=${nvidiaGpuFields.join(",")}`, "--format=csv,noheader,nounits"]),
    deps.run("nvidia-smi", ["--version"]),
  ]);
  if (!query.ok) return { gpus: [], reasons: [query.reason] };
  const gpus = parseNvidiaGpus(query.stdout, version.ok ? parseNvidiaCudaVersion(version.stdout) : null);
  if (gpus.length === 0) return { gpus, reasons: [unreadable("nvidia-smi", query.stdout)] };
  return { gpus, reasons: [] };
}

const probeRocm = (deps: Pick<HardwareProbeDeps, "run">) =>
  probeGpuTool(deps, "rocm-smi", rocmDiscoveryArgs, parseRocmGpus, "rocm-smi reported no AMD GPU");

const probeMacGpus = (deps: Pick<HardwareProbeDeps, "run">) =>
  probeGpuTool(
    deps,
    "system_profiler",
    ["SPDisplaysDataType", "-json"],
    parseSpDisplays,
    "system_profiler reported no GPU",
  );

/** The GPUs a tool lists, or why there are none: the tool did not run, listed none, or said something unreadable. */
async function probeGpuTool(
  deps: Pick<HardwareProbeDeps, "run">,
  tool: string,
  args: string[],
  parse: (stdout: string) => Gpu[],
  noneReason: string,
): Promise<{ gpus: Gpu[]; reasons: string[] }> {
  const answer = await deps.run(tool, args);
  if (!answer.ok) return { gpus: [], reasons: [answer.reason] };
  try {
    const gpus = parse(answer.stdout);
    return { gpus, reasons: gpus.length === 0 ? [noneReason] : [] };
  } catch {
    return { gpus: [], reasons: [unreadable(tool, answer.stdout)] };
  }
}

/** macOS: physical cores and clocks sysctl knows where systeminformation does not. */
export async function probeSysctl(deps: Pick<HardwareProbeDeps, "run">): Promise<Map<string, string>> {
  const answer = await deps.run("sysctl", sysctlKeys);
  return answer.ok ? parseSysctl(answer.stdout) : new Map();
}

const unreadable = (tool: string, stdout: string) =>
  `${tool} printed output this agent cannot read (${JSON.stringify(stdout.trim().slice(0, 80))})`;
