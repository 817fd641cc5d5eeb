/**
 * One long-lived `nvidia-smi --query-gpu=... -lms 1000` process that prints a line per GPU every
 * second, so sampling costs no process start per second. A process that dies is started again
 * after a pause (at most `maxRestarts` times); its reason is logged and the GPU figures go null.
 */
import { spawn } from "node:child_process";
import type { Logger } from "../../coordinator/protocol/logger.ts";
import type { GpuSample } from "../../coordinator/protocol/runtime-sample.ts";
import { nvidiaSampleFields, parseNvidiaSamples } from "../probes/parse-nvidia-smi.ts";

export interface NvidiaSampler {
  /** the newest reading per GPU index; stale readings (older than 3 s) are left out */
  latest(nowMs: number): GpuSample[];
  stop(): void;
}

export const nvidiaSampleArgs = [
  `--query-gpu=${nvidiaSampleFields.join(",")}`,
  "--format=csv,noheader,nounits",
  "-lms",
  "1000",
];

const staleMs = 3000;
const restartDelayMs = 5000;
const maxRestarts = 5;

export function startNvidiaSampler(log: Logger, now: () => number, command = "nvidia-smi"): NvidiaSampler {
  const readings = new Map<number, { at: number; sample: GpuSample }>();
  let stopped = false;
  let restarts = 0;
  let child: ReturnType<typeof spawn> | null = null;
  let restartTimer: NodeJS.Timeout | null = null;

  function start(): void {
    child = spawn(command, nvidiaSampleArgs, { stdio: ["ignore", "pipe", "ignore"] });
    let pending = "";
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      pending += chunk;
      const end = pending.lastIndexOf("\n");
      if (end < 0) return;
      const at = now();
      for (const sample of parseNvidiaSamples(pending.slice(0, end))) readings.set(sample.index, { at, sample });
      pending = pending.slice(end + 1);
    });
    child.on("error", (err) => log.warn("nvidia-smi sampler could not start", { error: err.message }));
    child.on("exit", (code, signal) => {
      child = null;
      if (stopped) return;
      if (restarts >= maxRestarts) {
        log.warn("nvidia-smi sampler gave up: GPU figures are not measured", { code, signal });
        return;
      }
      restarts += 1;
      log.warn("nvidia-smi sampler exited; starting it again", { code, signal, restarts });
      restartTimer = setTimeout(start, restartDelayMs);
      restartTimer.unref();
    });
  }
  start();

  return {
    latest(nowMs) {
      return [...readings.values()]
        .filter((r) => nowMs - r.at <= staleMs)
        .map((r) => r.sample)
        .sort((a, b) => a.index - b.index);
    },
    stop() {
      stopped = true;
      if (restartTimer) clearTimeout(restartTimer);
      child?.kill();
    },
  };
}
