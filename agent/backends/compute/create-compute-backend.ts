/**
 * The compute backend: counts primes <= n on a warm pool of worker threads (started with the
 * agent) and turns what the workers report into workload events. It never times the count itself; the runner measures from `begin` to
 * `result`. (A drag race is timed by its workers: passes in a fixed time is the workload.)
 */
import { availableParallelism } from "node:os";
import { type ComputeParams, computeParamsSchema, dragRaceDefaults } from "../../../coordinator/protocol/compute.ts";
import type { JobErrorCode } from "../../../coordinator/protocol/job.ts";
import type { Backend, EngineInfo, WorkloadEvent } from "../backend.ts";
import { planWheelChunks } from "./plan-wheel-chunks.ts";
import type { SieveTask } from "./run-sieve-task.ts";
import { sieveKernelHash } from "./sieve-worker-entry.mjs";
import { createSieveWorkerPool, type SieveWorkerPool } from "./sieve-worker-pool.ts";
import { toComputeMetrics } from "./to-compute-metrics.ts";

/** engine name in probes and provenance */
export const computeEngine = "bench-race-sieve";

export interface ComputeBackendOptions {
  /** worker threads when a job does not say, and warm workers kept; default: every logical core */
  cpuCount?: number;
  /** the workers to run on; default: one pool per process, shared by the agents in it */
  pool?: SieveWorkerPool;
}

/** agents in one process share the machine's cores, so they share one pool of warm workers */
let processPool: SieveWorkerPool | null = null;

export function createComputeBackend(options: ComputeBackendOptions = {}): Backend {
  const cores = availableParallelism();
  const defaultThreads = options.cpuCount ?? cores;
  processPool ??= options.pool ? null : createSieveWorkerPool(defaultThreads);
  const pool = options.pool ?? (processPool as SieveWorkerPool);
  // every worker is a V8 isolate (tens of MB): more than a few per core only costs memory
  const maxThreads = Math.max(4, 4 * cores);
  const engine: EngineInfo = { ...computeEngineInfo, engine_version: sieveKernelHash() };
  return {
    kind: "compute",
    probe: async () => ({ reachable: true, version: `${computeEngine} ${engine.engine_version}`, models: [] }),
    async prepare(job) {
      const parsed = computeParamsSchema.safeParse(job.params);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue?.path.join(".") || "params";
        return {
          ok: false,
          error: {
            code: "invalid_params",
            message: `Invalid compute params: ${field}: ${issue?.message ?? "invalid"}`,
          },
        };
      }
      const params = parsed.data;
      const threads = Math.min(params.threads ?? defaultThreads, maxThreads);
      return {
        ok: true,
        job: {
          engine,
          run: (_pass, signal) => runComputeJob(pool, params, threads, cores, signal),
          dispose: async () => {},
        },
      };
    },
  };
}

const computeEngineInfo: EngineInfo = {
  engine: computeEngine,
  engine_version: null,
  model_digest: null,
  remote_engine: false,
  engine_host: null,
};

const cancelled: WorkloadEvent = {
  type: "error",
  error: { code: "cancelled", message: "The compute job was cancelled; its worker threads were stopped." },
};

async function* runComputeJob(
  pool: SieveWorkerPool,
  params: ComputeParams,
  threads: number,
  cores: number,
  signal: AbortSignal,
) {
  if (signal.aborted) {
    yield cancelled;
    return;
  }
  const tasks = planTasks(params, threads);
  const workers = pool.run(tasks);
  const aborted = new Promise<"aborted">((resolve) => {
    signal.addEventListener("abort", () => resolve("aborted"), { once: true });
  });
  const stopOnAbort = () => workers.cancel();
  signal.addEventListener("abort", stopOnAbort, { once: true });
  try {
    const loaded = await Promise.race([workers.ready.then(() => "ready" as const), aborted]);
    if (loaded === "aborted") {
      yield cancelled;
      return;
    }
    // start before yielding: a consumer that awaits something per event must not delay the count
    workers.start();
    yield { type: "begin" } satisfies WorkloadEvent;
    const finished = workers.finished.then((results) => ({ results }));
    for (;;) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const tick = new Promise<"tick">((resolve) => {
        timer = setTimeout(() => resolve("tick"), params.progress_interval_s * 1000);
      });
      const next = await Promise.race([finished, tick, aborted]).finally(() => clearTimeout(timer));
      if (next === "aborted") {
        yield cancelled;
        return;
      }
      if (next === "tick") {
        yield progressEvent(params, workers.progress(), tasks);
        continue;
      }
      yield { type: "result", metrics: toComputeMetrics(params, next.results, cores) } satisfies WorkloadEvent;
      return;
    }
  } catch (error) {
    if (signal.aborted) yield cancelled;
    else
      yield errorEvent("engine_error", `The sieve failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    signal.removeEventListener("abort", stopOnAbort);
    workers.cancel();
  }
}

/** One task per worker thread. */
function planTasks(params: ComputeParams, threads: number): SieveTask[] {
  const { algorithm, n } = params;
  if (params.preset === "drag_race") {
    const durationS = params.duration_s ?? dragRaceDefaults.duration_s;
    return Array.from({ length: threads }, () => ({ kind: "drag_race", algorithm, n, durationS }));
  }
  if (algorithm !== "segmented_sieve") return [{ kind: "count", algorithm, n }];
  const plan = planWheelChunks(n, threads);
  const next = new SharedArrayBuffer(4);
  return Array.from({ length: plan.threads }, () => ({ kind: "count_chunks", n, plan, next }));
}

function progressEvent(params: ComputeParams, fractions: readonly number[], tasks: SieveTask[]): WorkloadEvent {
  // chunk takers report their share of the whole count; drag-race threads run side by side
  const sum = fractions.reduce((a, f) => a + f, 0);
  const fraction = Math.min(1, tasks[0]?.kind === "count_chunks" ? sum : sum / Math.max(1, tasks.length));
  const percent = Math.floor(fraction * 100);
  const line =
    params.preset === "drag_race"
      ? `drag race: ${percent}% of ${params.duration_s ?? dragRaceDefaults.duration_s} s`
      : `sieved ${(fraction * params.n).toExponential(1)} of ${params.n.toExponential(0)} (${percent}%)`;
  return { type: "progress", fraction, line };
}

function errorEvent(code: JobErrorCode, message: string): WorkloadEvent {
  return { type: "error", error: { code, message } };
}
