import { describe, expect, it } from "vitest";
import type { Backend, WorkloadEvent } from "../../../agent/backends/backend.ts";
import { createRunner } from "../../../agent/runner.ts";
import type { BackendKind } from "../../../coordinator/protocol/enums.ts";
import type { JobError, JobEvent, JobSpec } from "../../../coordinator/protocol/job.ts";
import { silentLogger } from "../../../coordinator/protocol/logger.ts";
import { runJob } from "../../helpers/run-job.ts";
import { backendOf, type Step, scriptedBackend } from "../../helpers/scripted-backend.ts";

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
    const events = await runJob(backend, clock, job);
    expect(events.map((e) => e.type)).toEqual([
      "job-ready",
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

  it("asks for each pass's energy from begin to result and reports it with J per billion numbers", async () => {
    const clock = { t: 0 };
    const backend = scriptedBackend(clock, [[{ advance: 50 }, { type: "begin" }, { advance: 2000 }, result(168)]]);
    const windows: Array<[number, number, string]> = [];
    const events = await runJob(
      backend,
      clock,
      { ...job, repeats: 1, warmup: 0 },
      {
        energy: (from, to, workload) => {
          windows.push([from, to, workload]);
          return { energy_j: 200, avg_power_w: 100, energy_source: "rapl" };
        },
      },
    );
    expect(windows).toEqual([[50, 2050, "compute"]]);
    const finish = events.find((e) => e.type === "repeat-finish");
    expect(finish?.type === "repeat-finish" && finish.metrics).toMatchObject({
      energy_j: 200,
      avg_power_w: 100,
      energy_source: "rapl",
      j_per_billion: 200_000_000,
    });
  });

  it("says energy was not measured when the agent has no power readings", async () => {
    const clock = { t: 0 };
    const backend = scriptedBackend(clock, [[{ type: "begin" }, { advance: 10 }, result(168)]]);
    const events = await runJob(backend, clock, { ...job, repeats: 1, warmup: 0 });
    const finish = events.find((e) => e.type === "repeat-finish");
    expect(finish?.type === "repeat-finish" && finish.metrics).toMatchObject({
      energy_j: null,
      avg_power_w: null,
      energy_source: "none",
      j_per_billion: null,
    });
  });

  it("ends the job failed with the backend's error", async () => {
    const clock = { t: 0 };
    const backend = scriptedBackend(clock, [
      [{ type: "error", error: { code: "invalid_params", message: "n: too small" } }],
    ]);
    const events = await runJob(backend, clock, job);
    expect(events.at(-1)).toEqual({
      type: "job-finish",
      status: "failed",
      error: { code: "invalid_params", message: "n: too small" },
    });
  });

  it("fails a job whose backend this agent lacks, saying which it has", async () => {
    const clock = { t: 0 };
    const events = await runJob(scriptedBackend(clock, []), clock, { ...job, backend: "ollama" });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: "job-finish", status: "failed", error: { code: "backend_missing" } });
  });

  it("treats a pass that ends without a result as an engine error", async () => {
    const clock = { t: 0 };
    const events = await runJob(scriptedBackend(clock, [[{ type: "begin" }]]), clock, job);
    expect(events.at(-1)).toMatchObject({ status: "failed", error: { code: "engine_error" } });
  });

  it("ends a job cancelled by the race as cancelled, and one stopped by shutdown as failed", async () => {
    const clock = { t: 0 };
    const slow = backendOf(async function* (_pass, signal) {
      yield { type: "begin" };
      if (!signal.aborted) await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
      yield { type: "error", error: { code: "cancelled", message: "stopped" } };
    });
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
        runner.enqueue(
          { ...job, job_id: id, warmup: 0 },
          {
            event(event) {
              if (event.type === "job-ready") runner.go(id, null);
              if (event.type === "repeat-start" && id === "first") runner.cancel("first");
              if (event.type === "job-finish") {
                finishes[id] = event;
                resolve();
              }
            },
          },
        ),
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

  const llmJob: JobSpec = {
    ...job,
    workload: "llm",
    backend: "ollama",
    model: "m",
    params: { prompt: "hi", max_tokens: 4 },
    repeats: 1,
    warmup: 0,
  };
  const text = (t: string, tokens: number | null = null): WorkloadEvent => ({ type: "text", text: t, tokens });

  it("times an llm pass from begin: TTFR, TTFT, decode rate, ITL and the harness overhead beside the engine's", async () => {
    const clock = { t: 0 };
    const backend = scriptedBackend(
      clock,
      [
        [
          { advance: 30 },
          { type: "begin" },
          { advance: 40 },
          { type: "first-byte" },
          text(""),
          { advance: 10 },
          text("Hel", 1),
          { advance: 20 },
          text("lo", 2),
          { advance: 20 },
          text(" wor", 3),
          { advance: 40 },
          text("ld", 4),
          { advance: 5 },
          {
            type: "result",
            metrics: {
              engine: "ollama",
              model: "m",
              gen_tokens: 4,
              prompt_tokens: 10,
              engine_prompt_eval_ms: 25,
              engine_gen_ms: 80,
              engine_total_ms: 130,
              load_ms: 1,
            },
          },
        ],
      ],
      { kind: "ollama" },
    );
    const events = await runJob(backend, clock, llmJob);
    const finish = events.find((e) => e.type === "repeat-finish");
    expect(finish?.type === "repeat-finish" && finish.metrics).toMatchObject({
      ttfr_ms: 40,
      ttft_ms: 50,
      gen_tokens: 4,
      gen_tokens_per_s: 3000 / 80,
      prompt_tokens_per_s: 10_000 / 50,
      engine_prompt_tokens_per_s: 400,
      engine_gen_tokens_per_s: 50,
      total_ms: 135,
      harness_overhead_ms: 5,
      itl_p50_ms: 20,
      itl_p99_ms: 40,
      energy_j: null,
      energy_source: "none",
    });
    expect(finish?.type === "repeat-finish" && finish.output).toBe("Hello world");
    expect(finish?.type === "repeat-finish" && finish.timeline).toEqual({
      t_ms: [50, 70, 90, 130],
      tokens: [1, 2, 3, 4],
    });
    expect(backend.disposed).toBe(1);
  });

  it("coalesces streamed text into fewer numbered chunks that keep the engine's count and time", async () => {
    const clock = { t: 0 };
    const pieces: Step[] = [{ type: "begin" }];
    for (let i = 1; i <= 100; i++) pieces.push({ advance: 1 }, text("abcd", i));
    pieces.push(text("end\n", 101), text("tail", 102), { type: "result", metrics: { gen_tokens: 102 } });
    const events = await runJob(scriptedBackend(clock, [pieces], { kind: "ollama" }), clock, llmJob);
    const chunks = events.filter((e) => e.type === "job-text");
    expect(chunks.map((c) => c.text).join("")).toBe(`${"abcd".repeat(100)}end\ntail`);
    expect(chunks.map((c) => [c.text.length, c.tokens, c.t_ms])).toEqual([
      ...Array.from({ length: 6 }, (_, i) => [64, 16 * (i + 1), 16 * (i + 1)]),
      [20, 101, 100],
      [4, 102, 100],
    ]);
  });

  it("takes chunks as tokens only when the engine's final count says each chunk was one", async () => {
    const clock = { t: 0 };
    const pass = (genTokens: number): Step[] => [
      { type: "begin" },
      { advance: 10 },
      text("a"),
      { advance: 10 },
      text("b"),
      { advance: 30 },
      text("c"),
      { type: "result", metrics: { gen_tokens: genTokens } },
    ];
    const backend = scriptedBackend(clock, [pass(3), pass(7)], { kind: "ollama" });
    const events = await runJob(backend, clock, { ...llmJob, repeats: 2 });
    const [exact, bundled] = events.filter((e) => e.type === "repeat-finish");
    expect(exact?.timeline?.tokens).toEqual([1, 2, 3]);
    expect(exact?.metrics).toMatchObject({ itl_p50_ms: 10, itl_p99_ms: 30 });
    expect(bundled?.timeline?.tokens).toEqual([null, null, null]);
    expect(bundled?.metrics).toMatchObject({ itl_p50_ms: null, itl_p99_ms: null, gen_tokens: 7 });
  });

  it("fails with the engine's error when preparing fails, and never falls back to mock unless allowed", async () => {
    const clock = { t: 0 };
    const unreachable: JobError = { code: "engine_unreachable", message: "Ollama is not reachable" };
    const ollama = scriptedBackend(clock, [], { kind: "ollama", prepareError: unreachable });
    const mock = scriptedBackend(
      clock,
      [[{ type: "begin" }, { type: "result", metrics: { engine: "mock", gen_tokens: 1 } }]],
      {
        kind: "mock",
        engine: "mock",
      },
    );
    expect(await runJob([ollama, mock], clock, llmJob)).toEqual([
      { type: "job-finish", status: "failed", error: unreachable },
    ]);

    const allowed = { ...llmJob, params: { ...llmJob.params, allow_mock_fallback: true } };
    const events = await runJob([ollama, mock], clock, allowed);
    expect(events[1]).toMatchObject({ type: "job-start", provenance: { engine: "mock" } });
    const finish = events.find((e) => e.type === "repeat-finish");
    expect(finish?.metrics).toMatchObject({
      engine: "mock",
      fallback_reason: "engine_unreachable: Ollama is not reachable",
    });
    expect(mock.disposed).toBe(1);
  });

  it("sends live figures of an llm pass on its own channel, never as numbered events", async () => {
    const clock = { t: 0 };
    const timers: Array<() => void> = [];
    const runner = createRunner({
      backends: new Map<BackendKind, Backend>([
        [
          "ollama",
          backendOf(
            async function* () {
              yield { type: "begin" };
              clock.t += 100;
              yield text("Hi", 1);
              clock.t += 50;
              yield text(" there", 3);
              for (const fire of timers.splice(0)) fire();
              yield { type: "result", metrics: { gen_tokens: 3 } };
            },
            { kind: "ollama" },
          ),
        ],
      ]),
      now: () => clock.t,
      schedule: (fn) => {
        timers.push(fn);
        return () => {};
      },
      agentVersion: "0.1.0",
      os: "test",
      hardwareId: "hw",
      log: silentLogger,
    });
    const live: unknown[] = [];
    const events: JobEvent[] = [];
    await new Promise<void>((resolve) =>
      runner.enqueue(llmJob, {
        event(event) {
          if (event.type === "job-ready") runner.go(llmJob.job_id, null);
          events.push(event);
          if (event.type === "job-finish") resolve();
        },
        live: (pass, stats) => live.push({ ...pass, stats }),
      }),
    );
    expect(live).toEqual([
      { repeat: 0, warmup: false, stats: { elapsed_ms: 150, ttft_ms: 100, tokens: 3, chunks: 2, tokens_per_s: 40 } },
    ]);
    expect(events.map((e) => e.type)).not.toContain("job-live");
  });

  describe("start instant", () => {
    /** a runner on the real monotonic clock with a one-pass job that begins at once */
    function gatedRunner(prepareMs = 0) {
      const quick = backendOf(async function* () {
        yield { type: "begin" };
        yield result(168);
      });
      const prepare = quick.prepare.bind(quick);
      quick.prepare = async (...args) => {
        await new Promise((resolve) => setTimeout(resolve, prepareMs));
        return prepare(...args);
      };
      const runner = createRunner({
        backends: new Map<BackendKind, Backend>([["compute", quick]]),
        now: () => performance.now(),
        agentVersion: "0.1.0",
        os: "test",
        hardwareId: "hw",
        log: silentLogger,
      });
      return runner;
    }

    it("sets up, says it is ready, and begins its measured work only at the room's start instant", async () => {
      const runner = gatedRunner(20);
      const events: Array<{ event: JobEvent; at: number }> = [];
      let startAt = 0;
      await new Promise<void>((resolve) =>
        runner.enqueue(
          { ...job, warmup: 0, repeats: 1 },
          {
            event(event) {
              const at = performance.timeOrigin + performance.now();
              events.push({ event, at });
              if (event.type === "job-ready") {
                startAt = at + 30;
                runner.go(job.job_id, startAt);
              }
              if (event.type === "job-finish") resolve();
            },
          },
        ),
      );
      expect(events.map((e) => e.event.type).slice(0, 2)).toEqual(["job-ready", "job-start"]);
      const ready = events[0]?.event;
      expect(ready?.type === "job-ready" && ready.prepare_ms).toBeGreaterThanOrEqual(15);
      const start = events[1];
      const beganAt = start?.event.type === "job-start" ? start.event.began_at : undefined;
      expect(beganAt).toBeGreaterThanOrEqual(startAt);
      // not early, and not a timer's worth late; how close it comes is measured by bench:start, not here
      expect((beganAt ?? 0) - startAt).toBeLessThan(250);
      expect(start?.at).toBeGreaterThanOrEqual(startAt);
    });

    it("keeps a start instant that arrives before the job is ready, and starts at once on a null instant", async () => {
      const runner = gatedRunner(10);
      const types: string[] = [];
      const done = new Promise<void>((resolve) =>
        runner.enqueue(
          { ...job, warmup: 0, repeats: 1 },
          {
            event(event) {
              types.push(event.type);
              if (event.type === "job-finish") resolve();
            },
          },
        ),
      );
      runner.go(job.job_id, null);
      await done;
      expect(types).toEqual(["job-ready", "job-start", "repeat-start", "repeat-finish", "job-finish"]);
    });

    it("ends a job cancelled while it waits for its start without running a pass", async () => {
      const runner = gatedRunner();
      const types: string[] = [];
      await new Promise<void>((resolve) =>
        runner.enqueue(
          { ...job, warmup: 0, repeats: 1 },
          {
            event(event) {
              types.push(event.type);
              if (event.type === "job-ready") runner.cancel(job.job_id);
              if (event.type === "job-finish") resolve();
            },
          },
        ),
      );
      expect(types).toEqual(["job-ready", "job-finish"]);
    });
  });
});
