import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import type { SieveTask } from "../../../agent/backends/compute/run-sieve-task.ts";
import type { SieveWorkerMessage } from "../../../agent/backends/compute/sieve-worker.ts";
import { type SieveWorkerThread, startSieveWorkers } from "../../../agent/backends/compute/start-sieve-workers.ts";

const task: SieveTask = { kind: "count", algorithm: "segmented_sieve", n: 100, fromByte: 0, toByte: 4 };

/**
 * A worker thread stand-in. When a real worker ends, Node first emits every message still in its
 * port and then `exit`, in one synchronous run: `finish` does exactly that.
 */
class FakeWorker extends EventEmitter implements SieveWorkerThread {
  onStart: (worker: FakeWorker) => void = () => {};
  postMessage(): void {
    this.onStart(this);
  }
  terminate(): void {}
  send(message: SieveWorkerMessage): void {
    this.emit("message", message);
  }
  /** posts what the worker posted last, then exits with `code`, in the same tick */
  finish(messages: SieveWorkerMessage[], code = 0): void {
    for (const message of messages) this.send(message);
    this.emit("exit", code);
  }
}

function fakeWorkers(count: number, onStart: (worker: FakeWorker, slot: number) => void) {
  const workers: FakeWorker[] = [];
  const sieve = startSieveWorkers(
    Array.from({ length: count }, () => task),
    ({ slot }) => {
      const worker = new FakeWorker();
      worker.onStart = (w) => onStart(w, slot);
      workers.push(worker);
      return worker;
    },
  );
  for (const worker of workers) worker.send({ type: "ready" });
  return sieve;
}

describe("sieve workers", () => {
  it("keeps a result posted in the same tick as the worker's normal exit, every time", async () => {
    for (let round = 0; round < 50; round += 1) {
      const sieve = fakeWorkers(4, (worker, slot) =>
        worker.finish([{ type: "done", result: { primes: 10 + slot, passes: 1, passesMs: 0 } }]),
      );
      await sieve.ready;
      sieve.start();
      await expect(sieve.finished).resolves.toEqual(
        [10, 11, 12, 13].map((primes) => ({ primes, passes: 1, passesMs: 0 })),
      );
    }
  });

  it("fails a worker that exits without a result, naming it and its exit code", async () => {
    const sieve = fakeWorkers(2, (worker, slot) =>
      slot === 1
        ? worker.finish([], 0)
        : worker.finish([{ type: "done", result: { primes: 4, passes: 1, passesMs: 0 } }]),
    );
    await sieve.ready;
    sieve.start();
    await expect(sieve.finished).rejects.toThrow("sieve worker 1 exited early (code 0)");
  });

  it("fails with the worker's own message when its task throws", async () => {
    const sieve = fakeWorkers(1, (worker) => worker.finish([{ type: "failed", message: "n is too large" }], 1));
    await sieve.ready;
    sieve.start();
    await expect(sieve.finished).rejects.toThrow("n is too large");
  });

  it("fails ready when a worker exits while loading", async () => {
    const workers: FakeWorker[] = [];
    const sieve = startSieveWorkers([task], () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker;
    });
    workers[0]?.finish([], 1);
    await expect(sieve.ready).rejects.toThrow("sieve worker 0 exited early (code 1)");
  });
});
