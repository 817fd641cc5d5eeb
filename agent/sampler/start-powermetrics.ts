/**
 * Apple CPU and GPU power from `powermetrics --samplers cpu_power,gpu_power -i 1000` (macOS; root
 * only, so it runs only when the operator enables it). Its text lines "CPU Power: 1234 mW" and
 * "GPU Power: 56 mW" are read as they come.
 */
import { spawn } from "node:child_process";
import type { Logger } from "../../coordinator/protocol/logger.ts";

export interface PowermetricsReading {
  at: number;
  cpu_w: number | null;
  gpu_w: number | null;
}

/** Watts of the last "CPU Power" and "GPU Power" lines of a block of powermetrics text. */
export function parsePowermetrics(text: string): { cpu_w: number | null; gpu_w: number | null } {
  const watts = (label: string) => {
    const matches = [...text.matchAll(new RegExp(`^${label} Power:\\s*([\\d.]+)\\s*mW`, "gm"))];
    const last = matches.at(-1)?.[1];
    return last === undefined ? null : Number(last) / 1000;
  };
  return { cpu_w: watts("CPU"), gpu_w: watts("GPU") };
}

export function startPowermetrics(log: Logger, now: () => number) {
  let latest: PowermetricsReading | null = null;
  const child = spawn("powermetrics", ["--samplers", "cpu_power,gpu_power", "-i", "1000"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    const reading = parsePowermetrics(chunk);
    if (reading.cpu_w !== null || reading.gpu_w !== null) latest = { at: now(), ...reading };
  });
  child.on("error", (err) =>
    log.warn("powermetrics could not start: Apple power not measured", { error: err.message }),
  );
  child.on("exit", (code) => {
    if (code !== 0 && code !== null)
      log.warn("powermetrics stopped: Apple power not measured (it needs root: run the agent with sudo)", { code });
  });
  return {
    latest: (nowMs: number) => (latest && nowMs - latest.at <= 3000 ? latest : null),
    stop: () => child.kill(),
  };
}
