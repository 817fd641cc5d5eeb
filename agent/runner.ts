/**
 * Runs jobs through backends, one at a time, and owns every timing: a backend only says when
 * the measured work begins and what the engine reported; the runner's monotonic clock stamps
 * every event as it arrives, the workload's timing module turns those stamps into metrics, and
 * streamed text is coalesced into numbered chunks only after its times were taken.
 *
 * A job starts in three steps: set-up (the backend's prepare: workers, model load), `job-ready`,
 * then a wait for the room's start instant (`go`), so every machine begins its measured work at
 * the same moment; `job-start` says when it did, on the agent's clock.
 */
import type { BackendKind } from "../coordinator/protocol/enums.ts";
import type { ImageMediaType, ImageRef } from "../coordinator/protocol/image.ts";
import type { JobError, JobEvent, JobSpec, LiveStats, Provenance } from "../coordinator/protocol/job.ts";
import type { Logger } from "../coordinator/protocol/logger.ts";
import type { Backend, BackendJob, PassInfo, PreparedJob } from "./backends/backend.ts";
import { type EnergyMeasure, notMeasured, withEnergy } from "./sampler/energy-metrics.ts";
import { createTextCoalescer } from "./text-coalescer.ts";
import { createPassTiming } from "./timings/pass-timing.ts";
import { waitUntil } from "./wait-until.ts";

export interface RunnerOptions {
  backends: ReadonlyMap<BackendKind, Backend>;
  /** monotonic milliseconds (performance.now) */
  now: () => number;
  /** the agent's clock is `clockOrigin + now()` (ms since the Unix epoch); default performance.timeOrigin */
  clockOrigin?: number;
  /** runs `fn` after `ms`; returns a function that cancels it. Default: an unref'd setTimeout */
  schedule?: (fn: () => void, ms: number) => () => void;
  agentVersion: string;
  os: string;
  /** the hardware snapshot's id; a function where the agent may probe its hardware again */
  hardwareId: string | (() => string);
  log: Logger;
  /** told when the runner starts or stops having work */
  onBusyChange?: (busy: boolean) => void;
  /** milliseconds between live figures of a pass; default 250 */
  liveIntervalMs?: number;
  /** the energy between two instants of `now()` (the sampler's); none: every result says "not measured" */
  energy?: (fromT: number, toT: number, workload: JobSpec["workload"]) => EnergyMeasure;
}

/** A finished image of a pass, handed to `JobSinks.image` for upload. */
export interface FinishedImage {
  index: number;
  media_type: ImageMediaType;
  bytes: Uint8Array;
  width: number;
  height: number;
}

/** A live preview of the image under way (volatile). */
export interface ImagePreview {
  index: number;
  media_type: ImageMediaType;
  bytes: Uint8Array;
}

export type ImageUploaded = { ok: true; sha256: string } | { ok: false; message: string };

/**
 * Where a job's output goes: numbered events, volatile live figures and previews that may be
 * dropped, and finished images, stored before the pass's result names them.
 */
export interface JobSinks {
  event(event: JobEvent): void;
  live?(pass: PassInfo, stats: LiveStats): void;
  /** the newest preview, at most one per live interval */
  preview?(pass: PassInfo, preview: ImagePreview): void;
  image?(pass: PassInfo, image: FinishedImage): Promise<ImageUploaded>;
}

export interface Runner {
  /** queues a job; its events go to `sinks.event` in order, ending with exactly one job-finish */
  enqueue(job: JobSpec, sinks: JobSinks): void;
  /**
   * the room's start instant for a job, on the agent's clock (null: at once); the job begins its
   * measured work then, once it is ready. A start for a job not yet ready is kept until it is.
   */
  go(jobId: string, startAt: number | null): void;
  /** cancels a queued or running job; unknown ids are ignored */
  cancel(jobId: string): void;
  /** ends every queued and running job as failed because the agent is shutting down */
  stopAll(): void;
}

interface QueuedJob {
  job: JobSpec;
  sinks: JobSinks;
  abort: AbortController;
}

const defaultSchedule = (fn: () => void, ms: number) => {
  const timer = setTimeout(fn, ms);
  timer.unref?.();
  return () => clearTimeout(timer);
};

export function createRunner(options: RunnerOptions): Runner {
  const queue: QueuedJob[] = [];
  const schedule = options.schedule ?? defaultSchedule;
  const liveIntervalMs = options.liveIntervalMs ?? 250;
  const clockOrigin = options.clockOrigin ?? performance.timeOrigin;
  let current: QueuedJob | null = null;
  /** start instants that arrived, by job id */
  const starts = new Map<string, number | null>();
  /** the job waiting for its start instant */
  let awaitingStart: { jobId: string; resolve: (startAt: number | null) => void } | null = null;

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
      starts.delete(next.job.job_id);
    }
    options.onBusyChange?.(false);
  }

  function finish(entry: QueuedJob, status: "done" | "failed" | "cancelled", error: JobError | null): void {
    entry.sinks.event({ type: "job-finish", status, error });
  }

  /** ends an aborted job: cancelled by the race, or failed because the agent is shutting down */
  function stopped(entry: QueuedJob): void {
    if (entry.abort.signal.reason === agentStoppedError) finish(entry, "failed", agentStoppedError);
    else finish(entry, "cancelled", cancelledError);
  }

  /** Readies the job's engine; an allowed fallback to the mock engine is labelled with its reason. */
  async function prepare(
    job: JobSpec,
    signal: AbortSignal,
  ): Promise<{ prepared: PreparedJob; fallback: string | null } | JobError> {
    const backend = options.backends.get(job.backend);
    const passJob: BackendJob = { model: job.model, params: job.params };
    const outcome = backend
      ? await backend.prepare(passJob, signal)
      : ({
          ok: false,
          error: {
            code: "backend_missing",
            message: `This agent has no ${job.backend} backend (it has: ${[...options.backends.keys()].join(", ")}). Start the agent with the option for it.`,
          },
        } as const);
    if (outcome.ok) return { prepared: outcome.job, fallback: null };
    const mock = options.backends.get("mock");
    const fallbackAllowed = job.params.allow_mock_fallback === true && job.backend !== "mock" && mock;
    if (!fallbackAllowed || signal.aborted || outcome.error.code === "invalid_params") return outcome.error;
    const viaMock = await mock.prepare(passJob, signal);
    if (!viaMock.ok) return outcome.error;
    options.log.warn("engine failed; running the mock engine as the race allows", { job_id: job.job_id });
    return { prepared: viaMock.job, fallback: `${outcome.error.code}: ${outcome.error.message}` };
  }

  async function runJob(entry: QueuedJob): Promise<void> {
    const { job, sinks, abort } = entry;
    const prepareStartedAt = options.now();
    const ready = await prepare(job, abort.signal);
    if (abort.signal.aborted) {
      if ("prepared" in ready) await ready.prepared.dispose();
      return stopped(entry);
    }
    if (!("prepared" in ready)) return finish(entry, "failed", ready);
    const { prepared, fallback } = ready;
    try {
      sinks.event({ type: "job-ready", prepare_ms: round(options.now() - prepareStartedAt) });
      const startAt = await startSignal(job.job_id, abort.signal);
      if (startAt !== null) await waitUntil(startAt - clockOrigin, options.now, schedule, abort.signal);
      if (abort.signal.aborted) return stopped(entry);
      sinks.event({
        type: "job-start",
        provenance: provenanceOf(prepared, job),
        began_at: round(clockOrigin + options.now()),
      });
      const passes: PassInfo[] = [
        ...Array.from({ length: job.warmup }, (_, repeat) => ({ repeat, warmup: true })),
        ...Array.from({ length: job.repeats }, (_, repeat) => ({ repeat, warmup: false })),
      ];
      for (const pass of passes) {
        if (abort.signal.aborted) return stopped(entry);
        sinks.event({ type: "repeat-start", ...pass });
        const outcome = await runPass(prepared, job, pass, sinks, abort.signal, fallback);
        if (outcome) return outcome.code === "cancelled" ? stopped(entry) : finish(entry, "failed", outcome);
      }
      finish(entry, "done", null);
    } finally {
      await prepared.dispose().catch((err: unknown) => options.log.warn("dispose failed", { error: String(err) }));
    }
  }

  async function runPass(
    prepared: PreparedJob,
    job: JobSpec,
    pass: PassInfo,
    sinks: JobSinks,
    signal: AbortSignal,
    fallback: string | null,
  ): Promise<JobError | null> {
    const timing = createPassTiming[job.workload]();
    let origin = options.now();
    const text = createTextCoalescer({
      schedule,
      emit: (chunk) => sinks.event({ type: "job-text", ...pass, ...chunk }),
    });
    let cancelLive: (() => void) | null = null;
    let preview: ImagePreview | null = null;
    const uploads: { image: FinishedImage; stored: Promise<ImageUploaded> }[] = [];
    const sendLive = () => {
      const stats = timing.live(options.now() - origin);
      if (stats) sinks.live?.(pass, stats);
      if (preview) sinks.preview?.(pass, preview);
      preview = null;
      cancelLive = schedule(sendLive, liveIntervalMs);
    };
    if (sinks.live || sinks.preview) cancelLive = schedule(sendLive, liveIntervalMs);
    try {
      for await (const event of prepared.run(pass, signal)) {
        const at = options.now();
        if (event.type === "begin") origin = at;
        const tMs = at - origin;
        timing.observe(event, tMs);
        switch (event.type) {
          case "progress":
            sinks.event({ type: "job-progress", ...pass, fraction: event.fraction, line: event.line });
            break;
          case "text":
            if (event.text !== "") text.push(event.text, event.tokens, tMs);
            break;
          case "image-preview":
            preview = event;
            break;
          case "image":
            if (sinks.image) uploads.push({ image: event, stored: sinks.image(pass, event) });
            break;
          case "result": {
            text.flush();
            const engine = fallback === null ? event.metrics : { ...event.metrics, fallback_reason: fallback };
            const { imageTimes, ...finished } = timing.finish(engine, tMs);
            const energy = options.energy?.(origin, at, job.workload) ?? notMeasured;
            const metrics = withEnergy(finished.metrics, energy, job.workload);
            if (!imageTimes) {
              sinks.event({ type: "repeat-finish", ...pass, ...finished, metrics });
              return null;
            }
            const images = await storedImages(uploads, imageTimes);
            if (!Array.isArray(images)) return images;
            sinks.event({ type: "repeat-finish", ...pass, ...finished, metrics, ...(sinks.image ? { images } : {}) });
            return null;
          }
          case "error":
            text.flush();
            return event.error;
        }
      }
    } finally {
      cancelLive?.();
    }
    return { code: "engine_error", message: `The ${job.backend} backend ended a pass without a result or an error.` };
  }

  /** resolves with the job's start instant once the room sends it, or with null when the job is aborted */
  function startSignal(jobId: string, signal: AbortSignal): Promise<number | null> {
    if (starts.has(jobId) || signal.aborted) return Promise.resolve(starts.get(jobId) ?? null);
    return new Promise((resolve) => {
      const settle = (startAt: number | null) => {
        awaitingStart = null;
        signal.removeEventListener("abort", onAbort);
        resolve(startAt);
      };
      const onAbort = () => settle(null);
      awaitingStart = { jobId, resolve: settle };
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  function provenanceOf(prepared: PreparedJob, job: JobSpec): Provenance {
    return {
      agent_version: options.agentVersion,
      os: options.os,
      hardware_id: typeof options.hardwareId === "string" ? options.hardwareId : options.hardwareId(),
      ...prepared.engine,
      params: job.params,
    };
  }

  return {
    enqueue(job, sinks) {
      queue.push({ job, sinks, abort: new AbortController() });
      void drain();
    },
    go(jobId, startAt) {
      if (awaitingStart?.jobId === jobId) awaitingStart.resolve(startAt);
      else if (current?.job.job_id === jobId || queue.some((entry) => entry.job.job_id === jobId))
        starts.set(jobId, startAt);
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

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** Waits for a pass's uploads (after its clocks stopped) and joins them to their times; an upload that failed fails the pass. */
async function storedImages(
  uploads: { image: FinishedImage; stored: Promise<ImageUploaded> }[],
  times: { index: number; seed: number; gen_ms: number }[],
): Promise<ImageRef[] | JobError> {
  const images: ImageRef[] = [];
  for (const { image, stored } of uploads) {
    const outcome = await stored;
    if (!outcome.ok)
      return { code: "agent_error", message: `Image ${image.index + 1} could not be stored: ${outcome.message}` };
    const time = times.find((t) => t.index === image.index);
    if (!time) continue;
    const { index, media_type, width, height } = image;
    images.push({ sha256: outcome.sha256, media_type, width, height, index, seed: time.seed, gen_ms: time.gen_ms });
  }
  return images;
}

const cancelledError: JobError = { code: "cancelled", message: "The race was cancelled." };
const agentStoppedError: JobError = {
  code: "agent_stopped",
  message: "The agent was stopped while running this job; start it again to race this machine.",
};
