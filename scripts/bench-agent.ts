/**
 * `npm run bench:agent`: what the agent's runtime sampler costs. Two measurements: the CPU time of
 * one reading (thousands of readings in a loop, real sources of this machine), as a share of one
 * core at one reading a second; and the agent process's CPU time over `--seconds` of sampling at
 * the real interval, plus the nvidia-smi child's where one runs. Target: under 1 % of one core.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { probeHardware } from "../agent/probes/probe-hardware.ts";
import { createSampler } from "../agent/sampler/create-sampler.ts";
import { openSamplerSources } from "../agent/sampler/open-sampler-sources.ts";
import { silentLogger } from "../coordinator/protocol/logger.ts";

const { values } = parseArgs({ options: { seconds: { type: "string" }, readings: { type: "string" } } });
const seconds = Number(values.seconds ?? 20);
const readings = Number(values.readings ?? 5000);

const hardware = await probeHardware(silentLogger);
const now = () => performance.now();
const sources = openSamplerSources(hardware, silentLogger, now);
const sampler = createSampler({ sources, now, clockOrigin: performance.timeOrigin });
console.log(
  `machine: ${hardware.cpu_model}, ${hardware.cpu_cores} logical cores, GPUs: ${hardware.gpus.map((g) => g.name).join(", ") || "none"}`,
);
console.log(`power sources: GPU ${sources.power.gpu ?? "none"}, CPU ${sources.power.cpu ?? "none"}`);

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
const loopStart = process.cpuUsage();
for (let i = 0; i < readings; i++) sampler.tick();
const perReadingMs = cpuMs(process.cpuUsage(loopStart)) / readings;
console.log(
  `one reading: ${(perReadingMs * 1000).toFixed(1)} µs of CPU -> ${((perReadingMs / 1000) * 100).toFixed(4)} % of one core at 1 Hz`,
);

const idleStart = process.cpuUsage();
const wallStart = now();
await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const wallMs = now() - wallStart;
const processPercent = (cpuMs(process.cpuUsage(idleStart)) / wallMs) * 100;
console.log(`agent process over ${seconds} s of sampling: ${processPercent.toFixed(3)} % of one core`);
const child = nvidiaChildPercent(wallMs);
if (child !== null) console.log(`nvidia-smi -lms child: ${child.toFixed(3)} % of one core`);
sampler.stop();

/** The nvidia-smi sampler child's CPU share since it started, from /proc (Linux), or null. */
function nvidiaChildPercent(windowMs: number): number | null {
  try {
    const children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, "utf8").trim().split(/\s+/);
    for (const pid of children) {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (!cmdline.includes("nvidia-smi")) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      const ticks = Number(fields[11]) + Number(fields[12]);
      return ((ticks * 10) / windowMs) * 100;
    }
  } catch {}
  return null;
}
