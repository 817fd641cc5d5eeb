/** CPU busy percent of all cores since the previous call, from the kernel's per-core tick counters (os.cpus). */
import os from "node:os";

export interface CpuTicks {
  busy: number;
  total: number;
}

export function readCpuTicks(cpus: readonly os.CpuInfo[] = os.cpus()): CpuTicks {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq;
    total += all;
    busy += all - times.idle;
  }
  return { busy, total };
}

/** 0..100 between two readings; null when no time passed between them. */
export function cpuPercentBetween(before: CpuTicks, after: CpuTicks): number | null {
  const total = after.total - before.total;
  if (total <= 0) return null;
  return Math.min(100, Math.max(0, ((after.busy - before.busy) / total) * 100));
}
