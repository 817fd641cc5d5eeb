/**
 * Runs jobs through backends, one at a time, and owns every timing: a backend only says when
 * the measured work begins and what the engine reported; the runner's monotonic clock measures
 * the rest, so every engine is timed the same way.
 */
import type { BackendKind } from "../coordinator/protocol/enums.ts";
import type { JobError, JobEvent, JobSpec, Metrics, Provenance } from "../coordinator/protocol/job.ts";
import type { Logger } from "../coordinator/protocol/logger.ts";
import type { Backend, BackendJob } from "./backends/backend.ts";
import { withComputeTimings } from "./with-compute-timings.ts";

export interface RunnerOptions {
  backends: ReadonlyMap<BackendKind, Backend>;
  /** monotonic milliseconds (performance.now) */
  now: () => number;
  agentVersion: string;
  os: string;
  hardwareId: string;
  log: Logger;
  /** told when the runner starts or stops having work */
  onBusyChange?: (busy: boolean) => void;
}

export interface Runner {
  /** queues a job; its events go to `emit` in order, ending with exactly one job-finish */
  enqueue(job: JobSpec, emit: (event: JobEvent) => void): void;
  /** cancels a queued or running job; unknown ids are ignored */
  cancel(jobId: string): void;
  /** ends every queued and running job as failed because the agent is shutting down */
  stopAll(): void;
}

interface QueuedJob {
  job: JobSpec;
  emit: (event: JobEvent) => void;
  abort: AbortController;
}

export function createRunner(options: RunnerOptions): Runner {
  const queue: QueuedJob[] = [];
  let current: QueuedJob | null = null;

  async function drain(): Promise<void> {
    if (current) return;
    options.onBusyChange?.(true);
    for (let next = queue.shift(); next; next = queue.shift()) {
      current = next;
      try {
        await runJob(next);
      } catch (err) {
        options.log.error("job crashed", { job_id: next.job.job_id, error: String(err) });
        finish(next, "failed", {
          code: "agent_error",
          message: `The agent failed while running the job: ${String(err)}`,
        });
      }
      current = null;
    }
    options.onBusyChange?.(false);
  }

  function finish(entry: QueuedJob, status: "done" | "failed" | "cancelled", error: JobError | null): void {
    entry.emit({ type: "job-finish", status, error });
  }

  /** ends an aborted job: cancelled by the race, or failed because the agent is shutting down */
  function stopped(entry: QueuedJob): void {
    if (entry.abort.signal.reason === agentStoppedError) finish(entry, "failed", agentStoppedError);
    else finish(entry, "cancelled", cancelledError);
  }

  async function runJob(entry: QueuedJob): Promise<void> {
    const { job, emit, abort } = entry;
    const backend = options.backends.get(job.backend);
    if (!backend) {
      const have = [...options.backends.keys()].join(", ");
      return finish(entry, "failed", {
        code: "backend_missing",
        message: `This agent has no ${job.backend} backend (it has: ${have}). Start the agent with the option for it.`,
      });
    }
    const passJob: BackendJob = { model: job.model, params: job.params };
    emit({ type: "job-start", provenance: provenanceOf(backend, passJob) });
    const passes = [
      ...Array.from({ length: job.warmup }, (_, repeat) => ({ repeat, warmup: true })),
      ...Array.from({ length: job.repeats }, (_, repeat) => ({ repeat, warmup: false })),
    ];
    for (const pass of passes) {
      if (abort.signal.aborted) return stopped(entry);
      emit({ type: "repeat-start", ...pass });
      const outcome = await runPass(backend, job, passJob, pass, emit, abort.signal);
      if (outcome) return outcome.code === "cancelled" ? stopped(entry) : finish(entry, "failed", outcome);
    }
    finish(entry, "done", null);
  }

  async function runPass(
    backend: Backend,
    job: JobSpec,
    passJob: BackendJob,
    pass: { repeat: number; warmup: boolean },
    emit: (event: JobEvent) => void,
    signal: AbortSignal,
  ): Promise<JobError | null> {
    let began = options.now();
    for await (const event of backend.run(passJob, signal)) {
      switch (event.type) {
        case "begin":
          began = options.now();
          break;
        case "progress":
          emit({ type: "job-progress", ...pass, fraction: event.fraction, line: event.line });
          break;
        case "token":
          emit({ type: "job-token", ...pass, text: event.text });
          break;
        case "result":
          emit({ type: "repeat-finish", ...pass, metrics: withTimings(job, event.metrics, options.now() - began) });
          return null;
        case "error":
          return event.error;
      }
    }
    return { code: "engine_error", message: `The ${backend.kind} backend ended a pass without a result or an error.` };
  }

  function withTimings(job: JobSpec, engine: Metrics, elapsedMs: number): Metrics {
    return job.workload === "compute" ? withComputeTimings(engine, elapsedMs) : { ...engine, total_ms: elapsedMs };
  }

  function provenanceOf(backend: Backend, passJob: BackendJob): Provenance {
    const engine = backend.engineInfo(passJob);
    return {
      agent_version: options.agentVersion,
      os: options.os,
      hardware_id: options.hardwareId,
      ...engine,
      params: passJob.params,
    };
  }

  return {
    enqueue(job, emit) {
      queue.push({ job, emit, abort: new AbortController() });
      void drain();
    },
    cancel(jobId) {
      if (current?.job.job_id === jobId) return current.abort.abort();
      const index = queue.findIndex((entry) => entry.job.job_id === jobId);
      const [entry] = index >= 0 ? queue.splice(index, 1) : [];
      if (entry) finish(entry, "cancelled", cancelledError);
    },
    stopAll() {
      for (const entry of queue.splice(0)) finish(entry, "failed", agentStoppedError);
      current?.abort.abort(agentStoppedError);
    },
  };
}

const cancelledError: JobError = { code: "cancelled", message: "The race was cancelled." };
const agentStoppedError: JobError = {
  code: "agent_stopped",
  message: "The agent was stopped while running this job; start it again to race this machine.",
};
