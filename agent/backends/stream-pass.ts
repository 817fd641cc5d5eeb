/**
 * One pass of a backend outside the runner, for benchmarks and tests: prepare, run the pass,
 * dispose. A failed prepare comes out as the pass's one `error` event.
 */
import type { Backend, BackendJob, PassInfo, WorkloadEvent } from "./backend.ts";

export async function* streamPass(
  backend: Backend,
  job: BackendJob,
  signal: AbortSignal,
  pass: PassInfo = { repeat: 0, warmup: false },
): AsyncGenerator<WorkloadEvent> {
  const prepared = await backend.prepare(job, signal);
  if (!prepared.ok) {
    yield { type: "error", error: prepared.error };
    return;
  }
  try {
    yield* prepared.job.run(pass, signal);
  } finally {
    await prepared.job.dispose();
  }
}
