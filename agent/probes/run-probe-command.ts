/**
 * Runs one probe tool (nvidia-smi, rocm-smi, sysctl, system_profiler) with a timeout and never
 * throws: a missing tool, a non-zero exit or a hang comes back as a reason a person can act on.
 */
import { execFile } from "node:child_process";

export type ProbeOutput = { ok: true; stdout: string } | { ok: false; reason: string };

/** How long a probe tool gets, in milliseconds. */
export const probeTimeoutMs = 5_000;

export function runProbeCommand(
  command: string,
  args: readonly string[],
  timeoutMs = probeTimeoutMs,
): Promise<ProbeOutput> {
  return new Promise((resolve) => {
    execFile(
      command,
      [...args],
      { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024, windowsHide: true },
      (error, stdout, stderr) => {
        if (!error) return resolve({ ok: true, stdout });
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT") return resolve({ ok: false, reason: `${command} is not installed (not on PATH)` });
        if (error.killed || (error as { signal?: string }).signal === "SIGTERM")
          return resolve({ ok: false, reason: `${command} did not answer within ${timeoutMs / 1000} s` });
        const detail = String(stderr || stdout || error.message)
          .trim()
          .split("\n")[0]
          ?.slice(0, 200);
        resolve({ ok: false, reason: `${command} failed: ${detail}` });
      },
    );
  });
}
