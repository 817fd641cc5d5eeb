/**
 * Records what this machine's probes and sampler read, as fixtures: the raw answers of nvidia-smi
 * (and rocm-smi where present), the parsed hardware, and `--seconds` of runtime samples with the
 * energy the runner would report over them. `npm run hardware:record -- --out DIR --seconds 10`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { hardwareIdOf } from "../agent/probes/hardware-id.ts";
import { nvidiaGpuFields } from "../agent/probes/parse-nvidia-smi.ts";
import { rocmDiscoveryArgs } from "../agent/probes/parse-rocm-smi.ts";
import { probeHardware } from "../agent/probes/probe-hardware.ts";
import { runProbeCommand } from "../agent/probes/run-probe-command.ts";
import { createSampler } from "../agent/sampler/create-sampler.ts";
import { openSamplerSources } from "../agent/sampler/open-sampler-sources.ts";
import { nvidiaSampleArgs } from "../agent/sampler/start-nvidia-sampler.ts";
import { createLogger } from "../coordinator/protocol/logger.ts";

const { values } = parseArgs({ options: { out: { type: "string" }, seconds: { type: "string" } } });
const out = values.out ?? "hardware-record";
const seconds = Number(values.seconds ?? 10);
mkdirSync(out, { recursive: true });
const log = createLogger("record-hardware");

const raw = {
  "nvidia-smi-discovery.csv": [
    "nvidia-smi",
    [`--query-gpu=${nvidiaGpuFields.join(",")}`, "--format=csv,noheader,nounits"],
  ],
  "nvidia-smi-version.txt": ["nvidia-smi", ["--version"]],
  "nvidia-smi-sample.csv": ["nvidia-smi", nvidiaSampleArgs.slice(0, 2)],
  "rocm-smi-discovery.json": ["rocm-smi", rocmDiscoveryArgs],
} as const;
for (const [file, [command, args]] of Object.entries(raw)) {
  const answer = await runProbeCommand(command, args);
  writeFileSync(join(out, file), answer.ok ? answer.stdout : `# not recorded: ${answer.reason}\n`);
}

const hardware = await probeHardware(log);
writeFileSync(
  join(out, "hardware.json"),
  `${JSON.stringify({ hardware_id: hardwareIdOf(hardware), hardware }, null, 2)}\n`,
);

const now = () => performance.now();
const sampler = createSampler({
  sources: openSamplerSources(hardware, log, now),
  now,
  clockOrigin: performance.timeOrigin,
});
const started = now();
const cpuBefore = process.cpuUsage();
await new Promise((resolve) => setTimeout(resolve, seconds * 1000 + 200));
const cpu = process.cpuUsage(cpuBefore);
const ended = now();
const samples = sampler.samples();
writeFileSync(join(out, "samples.ndjson"), samples.map((s) => `${JSON.stringify(s)}\n`).join(""));
const summary = {
  seconds: (ended - started) / 1000,
  samples: samples.length,
  process_cpu_ms: (cpu.user + cpu.system) / 1000,
  process_cpu_percent_of_one_core: ((cpu.user + cpu.system) / 1000 / (ended - started)) * 100,
  energy_llm: sampler.energy(started, ended, "llm"),
  energy_compute: sampler.energy(started, ended, "compute"),
};
writeFileSync(join(out, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
sampler.stop();
console.log(JSON.stringify(summary));
