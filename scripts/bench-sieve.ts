/**
 * `npm run bench:sieve`: times the compute backend's segmented sieve (begin -> result, as the
 * runner measures it) on the warm worker pool, next to primesieve when it is installed, and prints
 * markdown tables for docs/performance.md: 1 thread and every thread per N, or with `--sweep` the
 * threads 1, 2, 4, ..., all cores with each one's parallel efficiency and the machine's own
 * ceiling (as many independent 1-thread counts at once as it has cores). Repeats of ours and
 * primesieve's alternate, so a shared host's slow spells hit both. It also times the pool's start
 * and a pass's start signal -> first sieved segment at every thread.
 *
 *   npm run bench:sieve -- [1e8,1e9,1e10] [--sweep | --threads 1,8] [--repeats N] [--primesieve PATH] [--worker-bundle FILE]
 *
 * `--threads` names the thread counts to time. Under `taskset -c K` (Linux) one-thread rows run
 * ours and primesieve's on the same core, which a host whose cores differ in speed needs.
 */
import { execFile } from "node:child_process";
import { availableParallelism, cpus, loadavg } from "node:os";
import { parseArgs, promisify } from "node:util";
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
    threads: { type: "string" },
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

/** One pass through the backend: wall seconds from its `begin` event to its `result` event. */
async function passOurs(n: number, threads: number): Promise<number> {
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
      return (performance.now() - begun) / 1000;
    }
  }
  throw new Error(`no result for ${n}`);
}

const run = promisify(execFile);

/** primesieve's own --time in seconds for counting primes <= n; null when it is not installed. */
async function passPrimesieve(n: number, threads: number): Promise<number | null> {
  try {
    const { stdout } = await run(values.primesieve, [
      String(n),
      "--count",
      `--threads=${threads}`,
      "--time",
      "--quiet",
    ]);
    const seconds = /Seconds:\s*([\d.]+)/.exec(stdout)?.[1];
    return seconds === undefined ? null : Number(seconds);
  } catch {
    return null;
  }
}

interface Timings {
  best: number;
  median: number;
}

const summary = (xs: number[]): Timings => {
  const sorted = [...xs].sort((a, b) => a - b);
  return { best: sorted[0] ?? Number.NaN, median: sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN };
};

/** `repeats` passes of ours and of primesieve's, alternating. */
async function timeBoth(n: number, threads: number, repeats: number) {
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let r = 0; r < repeats; r++) {
    ours.push(await passOurs(n, threads));
    const t = await passPrimesieve(n, threads);
    if (t !== null) theirs.push(t);
  }
  return { ours: summary(ours), theirs: theirs.length > 0 ? summary(theirs) : null };
}

/**
 * The machine's own parallel ceiling: `cores` independent whole counts at once (one per worker,
 * and one primesieve process each) against one alone, as the mean of their times. A shared or
 * throttled host slows each core when all are busy, and no split of the work can beat that.
 */
async function ceiling(n: number) {
  const whole = planWheelChunks(n, 1);
  const alone = async () => {
    const started = performance.now();
    const job = pool.run([{ kind: "count_chunks", n, plan: whole, next: new SharedArrayBuffer(4) }]);
    await job.ready;
    job.start();
    await job.finished;
    return (performance.now() - started) / 1000;
  };
  const together = async () => {
    const tasks: SieveTask[] = Array.from({ length: cores }, () => ({
      kind: "count_chunks",
      n,
      plan: whole,
      next: new SharedArrayBuffer(4),
    }));
    const job = pool.run(tasks);
    await job.ready;
    const started = performance.timeOrigin + performance.now();
    job.start();
    const ends = (await job.finished).map((x) => ((x.doneAt ?? Number.NaN) - started) / 1000);
    return ends.reduce((a, b) => a + b, 0) / ends.length;
  };
  const oursAlone = Math.min(await alone(), await alone());
  const oursAll = await together();
  const theirsAlone = await passPrimesieve(n, 1);
  const theirsAll = await Promise.all(Array.from({ length: cores }, () => passPrimesieve(n, 1)));
  const theirsMean = theirsAll.every((x) => x !== null)
    ? (theirsAll as number[]).reduce((a, b) => a + b, 0) / cores
    : null;
  return { oursAlone, oursAll, theirsAlone, theirsMean };
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
const secs = (s: number) => `${s.toFixed(3)} s`;
const fmt = (t: Timings | null) => (t === null ? "not installed" : `${secs(t.best)} (${secs(t.median)})`);
const ratio = (ours: number, theirs: number | null) => (theirs === null ? "-" : `${(ours / theirs).toFixed(2)}x`);
const efficiency = (one: number | null, t: number | null, threads: number) =>
  one === null || t === null ? "-" : (one / (t * threads)).toFixed(2);

const load = loadavg()[0]?.toFixed(2) ?? "?";
console.log(
  `cpu: ${cpus()[0]?.model ?? "unknown"}, ${cores} logical cores, node ${process.version}, load average ${load}`,
);
// a tiny pass waits for every pool worker to be warm
await passOurs(1e5, cores);
const source = bundle ? `bundle ${bundle}` : sieveWorkerBundleIsFresh() ? "dist/sieve-worker.mjs" : "tsx";
console.log(`pool: ${cores} workers (${source}) loaded and warm in ${(performance.now() - poolStarted).toFixed(0)} ms`);

const threadCounts = values.threads
  ? values.threads.split(",").map(Number)
  : values.sweep
    ? sweepThreads(cores)
    : [...new Set([1, cores])];
if (threadCounts.some((t) => !Number.isInteger(t) || t < 1)) throw new Error("--threads takes whole numbers, e.g. 1,8");
console.log(`\nbest of ${fixedRepeats ?? "3 (1 from 1e10 on)"} alternating passes each, median in brackets:`);
console.log("\n| N | threads | bench-race-sieve | primesieve | ratio | efficiency ours / primesieve |");
console.log("|---|---|---|---|---|---|");
for (const n of sizes) {
  let one: Timings | null = null;
  let theirsOne: Timings | null = null;
  for (const threads of threadCounts) {
    const { ours, theirs } = await timeBoth(n, threads, repeatsFor(n));
    if (threads === 1) {
      one = ours;
      theirsOne = theirs;
    }
    const eff =
      threads === 1
        ? ""
        : `${efficiency(one?.best ?? null, ours.best, threads)} / ${efficiency(theirsOne?.best ?? null, theirs?.best ?? null, threads)}`;
    console.log(
      `| ${exp(n)} | ${threads} | ${fmt(ours)} | ${fmt(theirs)} | ${ratio(ours.best, theirs?.best ?? null)} | ${eff} |`,
    );
  }
}

if (values.sweep) {
  console.log(`\nthe machine's ceiling: ${cores} independent 1-thread counts at once, mean time against one alone:`);
  for (const n of sizes) {
    const c = await ceiling(n);
    const theirs =
      c.theirsAlone === null || c.theirsMean === null
        ? "primesieve not installed"
        : `primesieve ${secs(c.theirsMean)} against ${secs(c.theirsAlone)} (at most ${(c.theirsAlone / c.theirsMean).toFixed(2)})`;
    console.log(
      `  ${exp(n)}: ours ${secs(c.oursAll)} against ${secs(c.oursAlone)} alone (efficiency at most ${(c.oursAlone / c.oursAll).toFixed(2)}); ${theirs}`,
    );
  }
}

console.log("\nstart signal -> each thread's first sieved segment and end, warm pool (best of 3):");
for (const n of sizes) {
  for (const threads of [...new Set([Math.min(...threadCounts), Math.max(...threadCounts)])]) {
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
