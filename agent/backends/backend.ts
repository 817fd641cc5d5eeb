/**
 * The one interface every engine sits behind. A backend only translates its wire format into
 * `WorkloadEvent`s; it never times, retries or touches the socket: the runner owns the clock.
 */
import type { BackendKind } from "../../coordinator/protocol/enums.ts";
import type { BackendProbe } from "../../coordinator/protocol/hardware.ts";
import type { JobError, Metrics } from "../../coordinator/protocol/job.ts";

/** One measured pass as a backend sees it. */
export interface BackendJob {
  /** model name for llm/image; null for compute */
  model: string | null;
  /** the lane's workload parameters, already validated by the workload's schema */
  params: Record<string, unknown>;
}

/** What a backend reports during one pass. `result` and `error` are terminal: exactly one ends every pass. */
export type WorkloadEvent =
  /** the measured work starts now (after set-up such as spawning workers or loading a model) */
  | { type: "begin" }
  /** `fraction` of the pass done, 0..1, and a line for the card's log */
  | { type: "progress"; fraction: number; line: string }
  | { type: "token"; text: string }
  /** engine-reported values of the pass; the runner adds its own timings */
  | { type: "result"; metrics: Metrics }
  /** the pass failed; code `cancelled` when the signal aborted it */
  | { type: "error"; error: JobError };

/** Who ran a pass, for the result's provenance. */
export interface EngineInfo {
  engine: string;
  engine_version: string | null;
  model_digest: string | null;
  /** true when the engine runs in another process or machine reached over the network */
  remote_engine: boolean;
  engine_host: string | null;
}

export interface Backend {
  readonly kind: BackendKind;
  probe(signal: AbortSignal): Promise<BackendProbe>;
  engineInfo(job: BackendJob): EngineInfo;
  run(job: BackendJob, signal: AbortSignal): AsyncIterable<WorkloadEvent>;
}
