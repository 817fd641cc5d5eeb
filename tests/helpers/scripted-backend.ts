/**
 * Backends for runner tests: `backendOf` wraps a pass function and counts its disposals;
 * `scriptedBackend` plays a script of events per pass, advancing a fake clock as it goes.
 */
import type { Backend, Prepared, PreparedJob, WorkloadEvent } from "../../agent/backends/backend.ts";
import type { BackendKind } from "../../coordinator/protocol/enums.ts";
import type { JobError } from "../../coordinator/protocol/job.ts";

/** one step of a pass's script: an event the backend yields, or time passing on the fake clock */
export type Step = WorkloadEvent | { advance: number };

export interface ScriptedBackendOptions {
  kind?: BackendKind;
  prepareError?: JobError;
  engine?: string;
}

const scriptedEngine = {
  engine: "scripted",
  engine_version: "1",
  model_digest: null,
  remote_engine: false,
  engine_host: null,
};

/** A backend whose prepared job runs `run` per pass and counts its disposals. */
export function backendOf(
  run: PreparedJob["run"],
  options: ScriptedBackendOptions = {},
): Backend & { disposed: number } {
  const backend = {
    kind: options.kind ?? ("compute" as BackendKind),
    disposed: 0,
    probe: async () => ({ reachable: true, version: "1", models: [] }),
    async prepare(): Promise<Prepared> {
      if (options.prepareError) return { ok: false, error: options.prepareError };
      const engine = { ...scriptedEngine, engine: options.engine ?? "scripted" };
      return { ok: true, job: { engine, run, dispose: async () => void backend.disposed++ } };
    },
  };
  return backend;
}

/** A backend that plays a script of events per pass, advancing the fake clock as it goes. */
export function scriptedBackend(clock: { t: number }, passes: Step[][], options?: ScriptedBackendOptions) {
  let pass = 0;
  return backendOf(async function* (_pass, signal) {
    for (const step of passes[pass++] ?? []) {
      if (signal.aborted) {
        yield { type: "error", error: { code: "cancelled", message: "cancelled" } };
        return;
      }
      if ("advance" in step) clock.t += step.advance;
      else yield step;
    }
  }, options);
}
