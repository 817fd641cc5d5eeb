import { describe, expect, it } from "vitest";
import type { Backend, WorkloadEvent } from "../../../agent/backends/backend.ts";
import { createRunner } from "../../../agent/runner.ts";
import type { BackendKind } from "../../../coordinator/protocol/enums.ts";
import type { JobEvent, JobSpec } from "../../../coordinator/protocol/job.ts";
import { silentLogger } from "../../../coordinator/protocol/logger.ts";

/** A backend that plays a script of events per pass, advancing the fake clock as it goes. */
function scriptedBackend(clock: { t: number }, passes: Array<Array<WorkloadEvent | { advance: number }>>): Backend {
  let pass = 0;
  return {
    kind: "compute",
    probe: async () => ({ reachable: true, version: "1", models: [] }),
    engineInfo: () => ({
      engine: "scripted",
      engine_version: "1",
      model_digest: null,
      remote_engine: false,
      engine_host: null,
    }),
    async *run(_job, signal) {
      for (const step of passes[pass++] ?? []) {
        if (signal.aborted) {
          yield { type: "error", error: { code: "cancelled", message: "cancelled" } };
          return;
        }
        if ("advance" in step) clock.t += step.advance;
        else yield step;
      }
    },
  };
}

const job: JobSpec = {
  job_id: "r/l0",
  run_id: "r",
  lane_id: "l0",
  workload: "compute",
  backend: "compute",
  model: null,
  params: { n: 1000 },
  repeats: 2,
  warmup: 1,
};

function runWith(backend: Backend, clock: { t: number }, spec: JobSpec = job): Promise<JobEvent[]> {
  const runner = createRunner({
    backends: new Map<BackendKind, Backend>([[backend.kind, backend]]),
    now: () => clock.t,
    agentVersion: "0.1.0",
    os: "test",
    hardwareId: "hw",
    log: silentLogger,
  });
  return new Promise((resolve) => {
    const events: JobEvent[] = [];
    runner.enqueue(spec, (event) => {
      events.push(event);
      if (event.type === "job-finish") resolve(events);
    });
  });
}

const result = (primes: number): WorkloadEvent => ({
  type: "result",
  metrics: { algorithm: "segmented_sieve", n: 1000, primes_found: primes },
});

describe("runner", () => {
  it("runs warm-up then measured passes and times each from begin to result", async () => {
    const clock = { t: 0 };
    const backend = scriptedBackend(clock, [
      [{ advance: 50 }, { type: "begin" }, { advance: 200 }, result(168)],
      [{ advance: 50 }, { type: "begin" }, { advance: 100 }, result(168)],
      [{ type: "begin" }, { type: "progress", fraction: 0.5, line: "half" }, { advance: 250 }, result(168)],
    ]);
    const events = await runWith(backend, clock);
    expect(events.map((e) => e.type)).toEqual([
      "job-start",
      "repeat-start",
      "repeat-finish",
      "repeat-start",
      "repeat-finish",
      "repeat-start",
      "job-progress",
      "repeat-finish",
      "job-finish",
    ]);
    const finishes = events.filter((e) => e.type === "repeat-finish");
    expect(finishes.map((e) => [e.warmup, e.repeat, e.metrics.elapsed_ms])).toEqual([
      [true, 0, 200],
      [false, 0, 100],
      [false, 1, 250],
    ]);
    expect(finishes[1]?.metrics).toMatchObject({ primes_per_sec: 1680, numbers_per_sec: 10_000 });
    expect(events.at(-1)).toEqual({ type: "job-finish", status: "done", error: null });
  });

  it("ends the job failed with the backend's error", async () => {
    const clock = { t: 0 };
    const backend = scriptedBackend(clock, [
      [{ type: "error", error: { code: "bad_params", message: "n: too small" } }],
    ]);
    const events = await runWith(backend, clock);
    expect(events.at(-1)).toEqual({
      type: "job-finish",
      status: "failed",
      error: { code: "bad_params", message: "n: too small" },
    });
  });

  it("fails a job whose backend this agent lacks, saying which it has", async () => {
    const clock = { t: 0 };
    const events = await runWith(scriptedBackend(clock, []), clock, { ...job, backend: "ollama" });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "job-finish", status: "failed", error: { code: "backend_missing" } });
  });

  it("treats a pass that ends without a result as an engine error", async () => {
    const clock = { t: 0 };
    const events = await runWith(scriptedBackend(clock, [[{ type: "begin" }]]), clock);
    expect(events.at(-1)).toMatchObject({ status: "failed", error: { code: "engine_error" } });
  });

  it("ends a job cancelled by the race as cancelled, and one stopped by shutdown as failed", async () => {
    const clock = { t: 0 };
    const slow: Backend = {
      ...scriptedBackend(clock, []),
      async *run(_job, signal) {
        yield { type: "begin" };
        if (!signal.aborted) await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
        yield { type: "error", error: { code: "cancelled", message: "stopped" } };
      },
    };
    const runner = createRunner({
      backends: new Map<BackendKind, Backend>([["compute", slow]]),
      now: () => clock.t,
      agentVersion: "0.1.0",
      os: "test",
      hardwareId: "hw",
      log: silentLogger,
    });
    const finishes: Record<string, JobEvent> = {};
    const ended = (id: string) =>
      new Promise<void>((resolve) =>
        runner.enqueue({ ...job, job_id: id, warmup: 0 }, (event) => {
          if (event.type === "repeat-start" && id === "first") runner.cancel("first");
          if (event.type === "job-finish") {
            finishes[id] = event;
            resolve();
          }
        }),
      );
    await ended("first");
    const second = ended("second");
    const third = ended("third");
    runner.stopAll();
    await Promise.all([second, third]);
    expect(finishes.first).toMatchObject({ status: "cancelled", error: { code: "cancelled" } });
    expect(finishes.second).toMatchObject({ status: "failed", error: { code: "agent_stopped" } });
    expect(finishes.third).toMatchObject({ status: "failed", error: { code: "agent_stopped" } });
  });
});
