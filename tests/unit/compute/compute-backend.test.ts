import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import type { WorkloadEvent } from "../../../agent/backends/backend.ts";
import { createComputeBackend } from "../../../agent/backends/compute/create-compute-backend.ts";
import { sieveKernelHash } from "../../../agent/backends/compute/sieve-worker-entry.mjs";
import { streamPass } from "../../../agent/backends/stream-pass.ts";
import { knownPrimeCounts } from "../../../coordinator/protocol/compute.ts";

const backend = createComputeBackend({ cpuCount: 2 });
const cores = availableParallelism();

/** Every event of one pass; `onEvent` may abort. */
async function collect(params: Record<string, unknown>, onEvent?: (e: WorkloadEvent, abort: () => void) => void) {
  const controller = new AbortController();
  const events: WorkloadEvent[] = [];
  for await (const event of streamPass(backend, { model: null, params }, controller.signal)) {
    events.push(event);
    onEvent?.(event, () => controller.abort());
  }
  return events;
}

const terminal = (events: WorkloadEvent[]) => events.filter((e) => e.type === "result" || e.type === "error");

describe("compute backend", () => {
  it("probes as reachable and names its engine", async () => {
    const probe = await backend.probe(new AbortController().signal);
    expect(probe).toEqual({ reachable: true, version: `bench-race-sieve ${sieveKernelHash()}`, models: [] });
    expect(sieveKernelHash()).toMatch(/^[0-9a-f]{12}$/);
    const prepared = await backend.prepare({ model: null, params: { n: 100 } }, new AbortController().signal);
    expect(prepared.ok && prepared.job.engine).toMatchObject({
      engine: "bench-race-sieve",
      engine_version: sieveKernelHash(),
      remote_engine: false,
    });
  });

  it("counts pi(1e9) in worker threads with 1, 2, 3 and 4 threads", { timeout: 60_000 }, async () => {
    for (const threads of [1, 2, 3, 4]) {
      const events = await collect({ n: 1e9, threads });
      expect(events[0]).toEqual({ type: "begin" });
      expect(terminal(events)).toEqual([
        {
          type: "result",
          metrics: {
            algorithm: "segmented_sieve",
            n: 1e9,
            threads_used: threads,
            primes_found: 50847534,
            verified: true,
            ...(threads > cores
              ? {
                  note: `${threads} threads on ${cores} logical cores: the threads beyond the cores take turns on them`,
                }
              : {}),
          },
        },
      ]);
    }
  });

  it("uses fewer threads for a small n and verifies nothing for an n without a known count", async () => {
    const events = await collect({ n: 100_003, threads: 4 });
    expect(terminal(events)).toEqual([
      {
        type: "result",
        metrics: { algorithm: "segmented_sieve", n: 100_003, threads_used: 1, primes_found: 9593, verified: null },
      },
    ]);
  });

  it("runs the simple sieve and trial division with one thread", async () => {
    for (const algorithm of ["simple_sieve", "trial_division"]) {
      const [result] = terminal(await collect({ algorithm, n: 1e6, threads: 2 }));
      expect(result).toEqual({
        type: "result",
        metrics: { algorithm, n: 1e6, threads_used: 1, primes_found: knownPrimeCounts.get(1e6), verified: true },
      });
    }
  });

  it("rejects bad params with one invalid_params error naming the field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ n: 5 }, "n"],
      [{ n: 1.5 }, "n"],
      [{ n: -100 }, "n"],
      [{ n: 2e13 }, "n"],
      [{ algorithm: "trial_division", n: 1e9 }, "n"],
      [{ n: 1e6, threads: 0 }, "threads"],
      [{ n: 1e6, threads: 1000 }, "threads"],
      [{ n: "many" }, "n"],
      [{ n: 1e6, algorithm: "guessing" }, "algorithm"],
      [{ n: 1e6, duration_s: 5 }, "duration_s"],
      [{ n: 1e6, preset: "drag_race", duration_s: 0 }, "duration_s"],
      [{ n: 1e10, preset: "drag_race" }, "n"],
      [{ n: 1e6, preset: "sprint" }, "preset"],
    ];
    for (const [params, field] of cases) {
      const events = await collect(params);
      expect(events, JSON.stringify(params)).toHaveLength(1);
      const [event] = events;
      expect(event?.type === "error" && event.error.code).toBe("invalid_params");
      expect(event?.type === "error" && event.error.message).toContain(`${field}:`);
    }
  });

  it("reports progress at the interval during a long count", { timeout: 60_000 }, async () => {
    const events = await collect({ n: 1e10, threads: 2, progress_interval_s: 0.05 });
    const progress = events.filter((e) => e.type === "progress");
    expect(progress.length).toBeGreaterThan(2);
    for (const p of progress) expect(p.type === "progress" && p.line).toMatch(/^sieved .* of 1e\+10 \(\d+%\)$/);
    expect(terminal(events)).toEqual([
      {
        type: "result",
        metrics: { algorithm: "segmented_sieve", n: 1e10, threads_used: 2, primes_found: 455052511, verified: true },
      },
    ]);
  });

  it("stops the workers and ends with one cancelled error when aborted", { timeout: 30_000 }, async () => {
    for (const algorithm of ["segmented_sieve", "simple_sieve", "trial_division"]) {
      const events = await collect(
        {
          algorithm,
          n: { segmented_sieve: 1e12, simple_sieve: 2e9, trial_division: 1e8 }[algorithm],
          progress_interval_s: 0.05,
        },
        (e, abort) => {
          if (e.type === "progress") abort();
        },
      );
      expect(terminal(events)).toEqual([{ type: "error", error: expect.objectContaining({ code: "cancelled" }) }]);
      expect(events.at(-1)?.type).toBe("error");
    }
  });

  it("ends with one cancelled error when aborted while the workers start", async () => {
    const controller = new AbortController();
    const events = streamPass(backend, { model: null, params: { n: 1e12 } }, controller.signal)[Symbol.asyncIterator]();
    const first = events.next();
    controller.abort();
    expect((await first).value).toEqual({ type: "error", error: expect.objectContaining({ code: "cancelled" }) });
    expect((await events.next()).done).toBe(true);
  });

  it("ends with one cancelled error when aborted right after begin", async () => {
    const events = await collect({ n: 1e12 }, (e, abort) => {
      if (e.type === "begin") abort();
    });
    expect(terminal(events)).toEqual([{ type: "error", error: expect.objectContaining({ code: "cancelled" }) }]);
  });

  it("ends with one cancelled error when the signal was aborted already", async () => {
    const controller = new AbortController();
    controller.abort();
    const events: WorkloadEvent[] = [];
    for await (const e of streamPass(backend, { model: null, params: { n: 1e9 } }, controller.signal)) events.push(e);
    expect(events).toEqual([{ type: "error", error: expect.objectContaining({ code: "cancelled" }) }]);
  });

  it("runs the drag race: independent passes on each thread, reported as passes per second", async () => {
    const events = await collect({
      preset: "drag_race",
      n: 1e6,
      duration_s: 0.3,
      threads: 2,
      progress_interval_s: 0.05,
    });
    const [result] = terminal(events);
    expect(result?.type).toBe("result");
    const metrics = result?.type === "result" ? result.metrics : {};
    expect(metrics).toMatchObject({
      algorithm: "segmented_sieve",
      n: 1e6,
      preset: "drag_race",
      threads_used: 2,
      primes_found: 78498,
      verified: true,
      duration_s: 0.3,
    });
    expect(metrics.passes).toBeGreaterThanOrEqual(2);
    expect(metrics.passes_per_sec).toBeGreaterThan(0);
  });
});
