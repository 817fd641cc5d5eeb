/**
 * `npm run bench:sieve`: times the compute backend's segmented sieve (begin -> result, as the
 * runner measures it) at 1 thread and at every thread, next to primesieve when it is installed,
 * and prints a markdown table for docs/performance.md.
 */
import { execFileSync } from "node:child_process";
import { availableParallelism, cpus, loadavg } from "node:os";
import { createComputeBackend } from "../agent/backends/compute/create-compute-backend.ts";
import { streamPass } from "../agent/backends/stream-pass.ts";

const sizes = (process.argv[2] ?? "1e8,1e9,1e10").split(",").map(Number);
const cores = availableParallelism();
const backend = createComputeBackend();

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
      output = execFileSync("primesieve", [String(n), "--count", `--threads=${threads}`, "--time", "--quiet"], {
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

const fmt = (s: number | null) => (s === null ? "not installed" : `${s.toFixed(3)} s`);
const ratio = (ours: number, theirs: number | null) => (theirs === null ? "-" : `${(ours / theirs).toFixed(2)}x`);

const load = loadavg()[0]?.toFixed(2) ?? "?";
console.log(
  `cpu: ${cpus()[0]?.model ?? "unknown"}, ${cores} logical cores, node ${process.version}, load average ${load}`,
);
console.log("| N | threads | bench-race-sieve | primesieve | ratio |");
console.log("|---|---|---|---|---|");
const speedups: string[] = [];
for (const n of sizes) {
  const repeats = n >= 1e10 ? 1 : 3;
  const one = await timeOurs(n, 1, repeats);
  const all = cores > 1 ? await timeOurs(n, cores, repeats) : one;
  const theirsOne = timePrimesieve(n, 1, repeats);
  const theirsAll = timePrimesieve(n, cores, repeats);
  console.log(`| ${n.toExponential(0)} | 1 | ${fmt(one)} | ${fmt(theirsOne)} | ${ratio(one, theirsOne)} |`);
  if (cores > 1) {
    console.log(`| ${n.toExponential(0)} | ${cores} | ${fmt(all)} | ${fmt(theirsAll)} | ${ratio(all, theirsAll)} |`);
    speedups.push(`${n.toExponential(0)}: ${(one / all).toFixed(2)}x`);
  }
}
if (speedups.length > 0) console.log(`\n${cores}-thread speed-up over 1 thread: ${speedups.join(", ")}`);
