/**
 * Runs one job through a real runner on a fake clock, as the agent does: it starts the job as soon
 * as it is ready and resolves with every event up to its job-finish.
 */
import type { Backend } from "../../agent/backends/backend.ts";
import { createRunner, type JobSinks, type RunnerOptions } from "../../agent/runner.ts";
import type { BackendKind } from "../../coordinator/protocol/enums.ts";
import type { JobEvent, JobSpec } from "../../coordinator/protocol/job.ts";
import { silentLogger } from "../../coordinator/protocol/logger.ts";

export function runJob(
  backends: Backend | Backend[],
  clock: { t: number },
  spec: JobSpec,
  options: { energy?: RunnerOptions["energy"]; image?: JobSinks["image"] } = {},
): Promise<JobEvent[]> {
  const list = Array.isArray(backends) ? backends : [backends];
  const runner = createRunner({
    backends: new Map<BackendKind, Backend>(list.map((b) => [b.kind, b])),
    now: () => clock.t,
    schedule: () => () => {},
    agentVersion: "0.1.0",
    os: "test",
    hardwareId: "hw",
    log: silentLogger,
    energy: options.energy,
  });
  return new Promise((resolve) => {
    const events: JobEvent[] = [];
    runner.enqueue(spec, {
      event(event) {
        if (event.type === "job-ready") runner.go(spec.job_id, null);
        events.push(event);
        if (event.type === "job-finish") resolve(events);
      },
      image: options.image,
    });
  });
}
