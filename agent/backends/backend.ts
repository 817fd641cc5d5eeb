/**
 * The one interface every engine sits behind. A backend only translates its wire format into
 * `WorkloadEvent`s; it never times, retries or touches the socket: the runner owns the clock.
 * A job goes `prepare` (load the model, resolve the engine's version and the model's digest:
 * outside every timed window) -> `run` once per pass -> `dispose`.
 */
import type { BackendKind } from "../../coordinator/protocol/enums.ts";
import type { BackendProbe } from "../../coordinator/protocol/hardware.ts";
import type { ImageMediaType } from "../../coordinator/protocol/image.ts";
import type { JobError, Metrics } from "../../coordinator/protocol/job.ts";

/** One lane's work as a backend sees it. */
export interface BackendJob {
  /** model name for llm/image; null for compute */
  model: string | null;
  /** the lane's workload parameters, already validated by the workload's schema */
  params: Record<string, unknown>;
}

/** Which pass of the job is asked for. */
export interface PassInfo {
  repeat: number;
  warmup: boolean;
}

/**
 * What a backend reports during one pass. `result` and `error` are terminal: exactly one ends every pass.
 * The runner stamps each event with its own monotonic clock as it receives it.
 */
export type WorkloadEvent =
  /** the measured work starts now (workers told to start, the request about to be sent) */
  | { type: "begin" }
  /** the first byte of the engine's response arrived (TTFR) */
  | { type: "first-byte" }
  /** `fraction` of the pass done, 0..1, and a line for the card's log */
  | { type: "progress"; fraction: number; line: string }
  /**
   * generated text as the engine streamed it, one wire chunk with content (role-only and usage-only
   * chunks are not text).
   * `tokens`: the engine's own cumulative count of generated tokens after this chunk, null when the
   * engine does not say per chunk. Never a count made by splitting text.
   */
  | { type: "text"; text: string; tokens: number | null }
  /** image `index` of the pass (sampled with `seed`) was handed to the engine's queue now */
  | { type: "image-submit"; index: number; seed: number }
  /** the engine began executing image `index` now (its queue wait ended) */
  | { type: "image-start"; index: number }
  /** image `index` finished sampling step `value` of `max` */
  | { type: "image-step"; index: number; value: number; max: number }
  /** a live preview of image `index` (volatile: the runner may drop it) */
  | { type: "image-preview"; index: number; media_type: ImageMediaType; bytes: Uint8Array }
  /** image `index` is finished: its bytes as the engine stored them, and its size in pixels */
  | {
      type: "image";
      index: number;
      seed: number;
      media_type: ImageMediaType;
      bytes: Uint8Array;
      width: number;
      height: number;
    }
  /** engine-reported values of the pass; the runner's timing module adds its own clocks */
  | { type: "result"; metrics: Metrics }
  /** the pass failed; code `cancelled` when the signal aborted it */
  | { type: "error"; error: JobError };

/** Who ran a pass, for the result's provenance. */
export interface EngineInfo {
  engine: string;
  engine_version: string | null;
  model_digest: string | null;
  /** true when the engine runs on another machine reached over the network */
  remote_engine: boolean;
  engine_host: string | null;
}

/** A job whose engine is ready: passes run one after another, then `dispose` frees what `prepare` took. */
export interface PreparedJob {
  readonly engine: EngineInfo;
  run(pass: PassInfo, signal: AbortSignal): AsyncIterable<WorkloadEvent>;
  dispose(): Promise<void>;
}

export type Prepared = { ok: true; job: PreparedJob } | { ok: false; error: JobError };

export interface Backend {
  readonly kind: BackendKind;
  /** reachable, version, models; never throws (an unreachable engine is `reachable: false` with an error) */
  probe(signal: AbortSignal): Promise<BackendProbe>;
  /** readies the engine for `job`; failures (unreachable, missing model, bad params) come back as errors, never thrown */
  prepare(job: BackendJob, signal: AbortSignal): Promise<Prepared>;
}

/** Engine-reported LLM values a backend puts in its `result` metrics, beside `engine` and `model`. */
export interface EngineLlmMetrics {
  /** tokens of the prompt the engine evaluated (null when the engine did not say, e.g. a cached prompt) */
  prompt_tokens: number | null;
  /** tokens the engine generated */
  gen_tokens: number | null;
  /** engine's prompt evaluation time, milliseconds */
  engine_prompt_eval_ms: number | null;
  /** engine's generation time, milliseconds */
  engine_gen_ms: number | null;
  /** engine's time loading the model for this request, milliseconds */
  load_ms: number | null;
  /** engine's whole time for the request, milliseconds */
  engine_total_ms: number | null;
}
