/**
 * `npm run bench:sieve`: times the compute backend's segmented sieve (begin -> result, as the
 * runner measures it) on the warm worker pool, next to primesieve when it is installed, and prints
 * markdown tables for docs/performance.md: 1 thread and every thread per N, or with `--sweep` the
 * threads 1, 2, 4, ..., all cores with each one's parallel efficiency. It also times the pool's
 * start and a pass's start signal -> first sieved segment at every thread.
 *
 *   npm run bench:sieve -- [1e8,1e9,1e10] [--sweep] [--repeats N] [--primesieve PATH] [--worker-bundle FILE]
 */
import { execFileSync } from "node:child_process";
import { availableParallelism, cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { createComputeBackend } from "../agent/backends/compute/create-compute-backend.ts";
import { planWheelChunks } from "../agent/backends/compute/plan-wheel-chunks.ts";
import type { SieveTask } from "../agent/backends/compute/run-sieve-task.ts";
import { sieveWorkerBundleIsFresh } from "../agent/backends/compute/sieve-worker-entry.mjs";
import { createSieveWorkerPool, spawnSieveWorkerFrom } from "../agent/backends/compute/sieve-worker-pool.ts";
import { streamPass } from "../agent/backends/stream-pass.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    sweep: { type: "boolean", default: false },
    repeats: { type: "string" },
    primesieve: { type: "string", default: "primesieve" },
    "worker-bundle": { type: "string" },
  },
});
const sizes = (positionals[0] ?? (values.sweep ? "1e9,1e10" : "1e8,1e9,1e10")).split(",").map(Number);
const cores = availableParallelism();
const fixedRepeats = values.repeats === undefined ? null : Number(values.repeats);
const repeatsFor = (n: number) => fixedRepeats ?? (n >= 1e10 ? 1 : 3);

const bundle = values["worker-bundle"];
const poolStarted = performance.now();
const pool = createSieveWorkerPool(cores, spawnSieveWorkerFrom(bundle));
const backend = createComputeBackend({ pool });

/** Best of `repeats` wall times in seconds, from the `begin` event to the `result` event. */
async function timeOurs(n: number, threads: number, repeats: number): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < repeats; r++) {
    let begun = 0;
    for await (const event of streamPass(
      backend,
      { model: null, params: { n, threads } },
      new AbortController().signal,
    )) {
      if (event.type === "begin") begun = performance.now();
      if (event.type === "error") throw new Error(`${event.error.code}: ${event.error.message}`);
      if (event.type === "result") {
        if (event.metrics.verified !== true) throw new Error(`wrong count for ${n}: ${event.metrics.primes_found}`);
        best = Math.min(best, (performance.now() - begun) / 1000);
      }
    }
  }
  return best;
}

/** primesieve's own --time for counting primes <= n, best of `repeats`; null when not installed. */
function timePrimesieve(n: number, threads: number, repeats: number): number | null {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < repeats; r++) {
    let output: string;
    try {
      output = execFileSync(values.primesieve, [String(n), "--count", `--threads=${threads}`, "--time", "--quiet"], {
        encoding: "utf8",
      });
    } catch {
      return null;
    }
    const seconds = /Seconds:\s*([\d.]+)/.exec(output)?.[1];
    if (seconds === undefined) return null;
    best = Math.min(best, Number(seconds));
  }
  return best;
}

/**
 * Milliseconds from `start()` to each thread's first sieved segment (median, slowest) and to each
 * thread's end (first, last): the pool's start latency and how evenly the work is split. Best of 3.
 */
async function timeThreads(n: number, threads: number) {
  const plan = planWheelChunks(n, threads);
  let best = { firstMedian: 0, firstMax: 0, doneMin: 0, doneMax: Number.POSITIVE_INFINITY };
  for (let r = 0; r < 3; r++) {
    const next = new SharedArrayBuffer(4);
    const tasks: SieveTask[] = Array.from({ length: plan.threads }, () => ({ kind: "count_chunks", n, plan, next }));
    const run = pool.run(tasks);
    await run.ready;
    const signal = performance.timeOrigin + performance.now();
    run.start();
    const results = await run.finished;
    const first = results.map((x) => (x.firstSegmentAt ?? Number.NaN) - signal).sort((a, b) => a - b);
    const done = results.map((x) => (x.doneAt ?? Number.NaN) - signal).sort((a, b) => a - b);
    const doneMax = done.at(-1) ?? Number.NaN;
    if (doneMax < best.doneMax) {
      best = {
        firstMedian: first[Math.floor(first.length / 2)] ?? Number.NaN,
        firstMax: first.at(-1) ?? Number.NaN,
        doneMin: done[0] ?? Number.NaN,
        doneMax,
      };
    }
  }
  return best;
}

const exp = (n: number) => n.toExponential(0).replace("+", "");
const fmt = (s: number | null) => (s === null ? "not installed" : `${s.toFixed(3)} s`);
const ratio = (ours: number, theirs: number | null) => (theirs === null ? "-" : `${(ours / theirs).toFixed(2)}x`);
const efficiency = (one: number | null, t: number | null, threads: number) =>
  one === null || t === null ? "-" : (one / (t * threads)).toFixed(2);

const load = loadavg()[0]?.toFixed(2) ?? "?";
console.log(
  `cpu: ${cpus()[0]?.model ?? "unknown"}, ${cores} logical cores, node ${process.version}, load average ${load}`,
);
// a tiny pass waits for every pool worker to be warm
await timeOurs(1e5, cores, 1);
const source = bundle ? `bundle ${bundle}` : sieveWorkerBundleIsFresh() ? "dist/sieve-worker.mjs" : "tsx";
console.log(`pool: ${cores} workers (${source}) loaded and warm in ${(performance.now() - poolStarted).toFixed(0)} ms`);

const threadCounts = values.sweep ? sweepThreads(cores) : [...new Set([1, cores])];
console.log("\n| N | threads | bench-race-sieve | primesieve | ratio | efficiency ours / primesieve |");
console.log("|---|---|---|---|---|---|");
for (const n of sizes) {
  const repeats = repeatsFor(n);
  let one: number | null = null;
  let theirsOne: number | null = null;
  for (const threads of threadCounts) {
    const ours = await timeOurs(n, threads, repeats);
    const theirs = timePrimesieve(n, threads, repeats);
    if (threads === 1) {
      one = ours;
      theirsOne = theirs;
    }
    const eff = threads === 1 ? "" : `${efficiency(one, ours, threads)} / ${efficiency(theirsOne, theirs, threads)}`;
    console.log(`| ${exp(n)} | ${threads} | ${fmt(ours)} | ${fmt(theirs)} | ${ratio(ours, theirs)} | ${eff} |`);
  }
}

console.log("\nstart signal -> each thread's first sieved segment and end, warm pool (best of 3):");
for (const n of sizes) {
  for (const threads of [...new Set([1, cores])]) {
    const t = await timeThreads(n, threads);
    const ms = (x: number) => `${x.toFixed(1)} ms`;
    console.log(
      `  ${exp(n)}, ${threads} threads: first segment median ${ms(t.firstMedian)}, slowest ${ms(t.firstMax)}; ` +
        `threads end from ${ms(t.doneMin)} to ${ms(t.doneMax)}`,
    );
  }
}
pool.close();

/** 1, 2, 4, ... up to the core count, and the core count itself. */
function sweepThreads(all: number): number[] {
  const counts: number[] = [];
  for (let t = 1; t < all; t *= 2) counts.push(t);
  counts.push(all);
  return counts;
}
