import { EventEmitter } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planWheelChunks } from "../../../agent/backends/compute/plan-wheel-chunks.ts";
import type { SieveTask } from "../../../agent/backends/compute/run-sieve-task.ts";
import type { SieveWorkerMessage, SieveWorkerRequest } from "../../../agent/backends/compute/sieve-worker.ts";
import { sieveBundleBanner, sieveKernelHash } from "../../../agent/backends/compute/sieve-worker-entry.mjs";
import {
  createSieveWorkerPool,
  type SieveWorkerThread,
  spawnSieveWorkerFrom,
} from "../../../agent/backends/compute/sieve-worker-pool.ts";
import { ensureSieveWorker } from "../../../scripts/ensure-sieve-worker.mjs";

const task: SieveTask = { kind: "count", algorithm: "segmented_sieve", n: 100 };

/**
 * A worker thread stand-in. When a real worker ends, Node first emits every message still in its
 * port and then `exit`, in one synchronous run: `finish` does exactly that.
 */
class FakeWorker extends EventEmitter implements SieveWorkerThread {
  requests: SieveWorkerRequest[] = [];
  terminated = false;
  referenced = false;
  constructor(private readonly onRun: (worker: FakeWorker, request: SieveWorkerRequest) => void) {
    super();
  }
  postMessage(request: SieveWorkerRequest): void {
    this.requests.push(request);
    this.onRun(this, request);
  }
  terminate(): void {
    this.terminated = true;
    this.emit("exit", 1);
  }
  ref(): void {
    this.referenced = true;
  }
  unref(): void {
    this.referenced = false;
  }
  send(message: SieveWorkerMessage): void {
    this.emit("message", message);
  }
  /** posts what the worker posted last, then exits with `code`, in the same tick */
  finish(messages: SieveWorkerMessage[], code = 0): void {
    for (const message of messages) this.send(message);
    this.emit("exit", code);
  }
}

const done = (primes: number): SieveWorkerMessage => ({ type: "done", result: { primes, passes: 1, passesMs: 0 } });

/** A pool of fake workers that report ready at once; `onRun` plays each worker's part. */
function fakePool(size: number, onRun: (worker: FakeWorker, request: SieveWorkerRequest) => void = () => {}) {
  const spawned: FakeWorker[] = [];
  const pool = createSieveWorkerPool(size, () => {
    const worker = new FakeWorker(onRun);
    spawned.push(worker);
    queueMicrotask(() => worker.send({ type: "ready" }));
    return worker;
  });
  return { pool, spawned };
}

describe("sieve worker pool", () => {
  it("starts its workers at once, before any job", () => {
    const { spawned } = fakePool(3);
    expect(spawned).toHaveLength(3);
  });

  it("keeps a result posted in the same tick as the worker's normal exit, every time", async () => {
    const { pool } = fakePool(4, (worker, request) => worker.finish([done(10 + request.slot)]));
    for (let round = 0; round < 50; round += 1) {
      const run = pool.run([task, task, task, task]);
      await run.ready;
      run.start();
      await expect(run.finished).resolves.toEqual(
        [10, 11, 12, 13].map((primes) => ({ primes, passes: 1, passesMs: 0 })),
      );
    }
  });

  it("runs the next job on the same warm workers, and lets the process exit while they idle", async () => {
    const { pool, spawned } = fakePool(2, (worker, request) => {
      expect(worker.referenced).toBe(true);
      worker.send(done(request.slot));
    });
    for (let round = 0; round < 3; round += 1) {
      const run = pool.run([task, task]);
      await run.ready;
      run.start();
      await expect(run.finished).resolves.toHaveLength(2);
    }
    expect(spawned).toHaveLength(2);
    expect(spawned.map((w) => w.requests.length)).toEqual([3, 3]);
    expect(spawned.map((w) => w.referenced)).toEqual([false, false]);
  });

  it("gives a one-thread pass the worker that counted last, so repeats run on warm caches and code", async () => {
    const { pool, spawned } = fakePool(4, (worker, request) => worker.send(done(request.slot)));
    for (let round = 0; round < 3; round += 1) {
      const run = pool.run([task]);
      await run.ready;
      run.start();
      await run.finished;
    }
    expect(spawned.map((w) => w.requests.length).sort()).toEqual([0, 0, 0, 3]);
  });

  it("fails the pass of a worker that exits without a result, naming it, and replaces the worker", async () => {
    const { pool, spawned } = fakePool(2, (worker, request) =>
      request.slot === 1 ? worker.finish([], 0) : worker.send(done(4)),
    );
    const run = pool.run([task, task]);
    await run.ready;
    run.start();
    await expect(run.finished).rejects.toThrow("sieve worker 1 stopped unexpectedly (exit code 0)");
    expect(spawned).toHaveLength(3);
  });

  it("stops the workers still counting when another one failed, so no late count reaches the next pass", async () => {
    const { pool, spawned } = fakePool(2, (worker, request) => {
      if (request.slot === 0) worker.send({ type: "failed", message: "n is too large" });
    });
    const run = pool.run([task, task]);
    await run.ready;
    run.start();
    await expect(run.finished).rejects.toThrow("n is too large");
    await Promise.resolve();
    const slotOf = (w: FakeWorker) => w.requests[0]?.slot ?? null;
    expect(spawned.map((w) => [slotOf(w), w.terminated])).toEqual(
      expect.arrayContaining([
        [0, false],
        [1, true],
        [null, false],
      ]),
    );
    const slow = spawned.find((w) => slotOf(w) === 1) as FakeWorker;
    slow.send(done(999));
    expect(spawned).toHaveLength(3);
  });

  it("fails ready when a worker exits while loading", async () => {
    const spawned: FakeWorker[] = [];
    const pool = createSieveWorkerPool(1, () => {
      const worker = new FakeWorker(() => {});
      spawned.push(worker);
      return worker;
    });
    const run = pool.run([task]);
    spawned[0]?.finish([], 1);
    await expect(run.ready).rejects.toThrow("sieve worker 0 stopped unexpectedly (exit code 1)");
    // a worker that cannot load is not respawned in a loop: the next pass spawns one, and fails alike
    expect(spawned).toHaveLength(1);
    const again = pool.run([task]);
    spawned[1]?.emit("error", new Error("Cannot find module 'sieve-worker.mjs'"));
    await expect(again.ready).rejects.toThrow("Cannot find module");
    expect(spawned).toHaveLength(2);
  });

  it("gives a job with more tasks than the pool extra workers, and stops them afterwards", async () => {
    const { pool, spawned } = fakePool(2, (worker, request) => worker.send(done(request.slot)));
    const run = pool.run([task, task, task]);
    await run.ready;
    run.start();
    await expect(run.finished).resolves.toHaveLength(3);
    await Promise.resolve();
    expect(spawned).toHaveLength(3);
    expect(spawned.filter((w) => w.terminated)).toHaveLength(1);
  });

  it("stops a cancelled pass's workers and warms new ones in their place", async () => {
    const { pool, spawned } = fakePool(2);
    const run = pool.run([task, task]);
    await run.ready;
    run.start();
    run.cancel();
    await expect(run.finished).rejects.toThrow("cancelled");
    expect(spawned.map((w) => w.terminated)).toEqual([true, true, false, false]);
  });

  it("puts the workers back untouched when a pass is cancelled before it started", async () => {
    const { pool, spawned } = fakePool(2);
    const run = pool.run([task, task]);
    run.cancel();
    await expect(run.finished).rejects.toThrow("cancelled");
    expect(spawned.map((w) => w.terminated)).toEqual([false, false]);
  });

  it("runs the compiled bundle, stamped with the kernel hash, and counts exactly with threads sharing chunks", {
    timeout: 60_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "sieve-bundle-"));
    const pool = createSieveWorkerPool(
      2,
      spawnSieveWorkerFrom(await ensureSieveWorker({ outfile: join(dir, "sieve-worker.mjs") })),
    );
    try {
      expect(readFileSync(join(dir, "sieve-worker.mjs"), "utf8").split("\n")[0]).toBe(
        sieveBundleBanner(sieveKernelHash()),
      );
      const n = 1e8;
      const plan = planWheelChunks(n, 2, 4096);
      const next = new SharedArrayBuffer(4);
      const run = pool.run([0, 1].map(() => ({ kind: "count_chunks", n, plan, next }) as const));
      await run.ready;
      run.start();
      const results = await run.finished;
      expect(results.reduce((sum, r) => sum + r.primes, 0)).toBe(5761455);
      expect(new Int32Array(next)[0]).toBeGreaterThanOrEqual(plan.chunks);
    } finally {
      pool.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
