/**
 * CPU package power from Linux RAPL (`/sys/class/powercap/intel-rapl:N/energy_uj`, one per
 * package; AMD Zen exposes the same files). The counters are cumulative microjoules that wrap at
 * `max_energy_range_uj`; they are root-only on most distributions, so an unreadable counter means
 * "not measured", never zero.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface RaplReader {
  /** watts since the previous call over every package; null on the first call or when unreadable */
  read(nowMs: number): number | null;
}

export type RaplOpen = { ok: true; reader: RaplReader } | { ok: false; reason: string };

const packagePattern = /^intel-rapl:\d+$/;

export function openRapl(root = "/sys/class/powercap"): RaplOpen {
  let domains: string[];
  try {
    domains = readdirSync(root).filter((name) => packagePattern.test(name));
  } catch {
    return { ok: false, reason: `${root} is not there (no RAPL on this machine or not Linux)` };
  }
  if (domains.length === 0) return { ok: false, reason: `${root} has no intel-rapl package domain` };
  const counters = domains.map((name) => ({
    file: join(root, name, "energy_uj"),
    range: Number(safeRead(join(root, name, "max_energy_range_uj")) ?? Number.NaN),
  }));
  const first = counters.map((c) => safeRead(c.file));
  if (first.some((value) => value === null))
    return {
      ok: false,
      reason: `${counters[0]?.file} is not readable (root only here); run the agent with read access to it for CPU energy`,
    };
  let last: { at: number; values: number[] } | null = null;
  return {
    ok: true,
    reader: {
      read(nowMs) {
        const values = counters.map((c) => Number(safeRead(c.file)));
        if (values.some((v) => !Number.isFinite(v))) return null;
        const previous = last;
        last = { at: nowMs, values };
        if (!previous || nowMs <= previous.at) return null;
        let microjoules = 0;
        values.forEach((value, i) => {
          const before = previous.values[i] ?? value;
          const range = counters[i]?.range ?? Number.NaN;
          microjoules += value >= before ? value - before : Number.isFinite(range) ? range - before + value : 0;
        });
        return microjoules / 1e6 / ((nowMs - previous.at) / 1000);
      },
    },
  };
}

function safeRead(file: string): string | null {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return null;
  }
}
