import { describe, expect, it } from "vitest";
import { countWheelPrimes } from "../../../agent/backends/compute/count-wheel-primes.ts";
import { planWheelChunks, wheelChunk } from "../../../agent/backends/compute/plan-wheel-chunks.ts";
import { presievedPrimes } from "../../../agent/backends/compute/presieve-pattern.ts";
import { runSieveTask } from "../../../agent/backends/compute/run-sieve-task.ts";
import { parseCacheSize, sieveSizesForCache } from "../../../agent/backends/compute/sieve-sizes-for-cache.ts";
import { knownPrimeCounts } from "../../../coordinator/protocol/compute.ts";
import { referencePrimeCounts } from "./reference-prime-counts.ts";

const limit = 12_000_000;
const pi = referencePrimeCounts(limit);
const smallPrimeCount = (n: number) => [2, 3, 5, ...presievedPrimes].filter((p) => p <= n).length;

/** The chunks of [0, n] for `threads` threads, at least 4096 bytes each, so small n has several. */
function splitWheelRange(n: number, threads: number) {
  const plan = planWheelChunks(n, threads, 4096);
  return Array.from({ length: plan.chunks }, (_, index) => wheelChunk(plan, index));
}

/** pi(n) with the wheel kernel over the chunks of [0, n], with a chosen segment size. */
function countSplit(n: number, threads: number, segmentBytes: number): number {
  const ranges = splitWheelRange(n, threads);
  const inRanges = ranges.reduce((sum, r) => sum + countWheelPrimes({ n, ...r, segmentBytes }), 0);
  return inRanges + smallPrimeCount(n);
}

/** pi(n) the way `threads` workers compute it, taking chunks from one counter (here one after another). */
function countAsWorkers(n: number, threads: number): number {
  const plan = planWheelChunks(n, threads, 4096);
  const next = new SharedArrayBuffer(4);
  let primes = 0;
  for (let t = 0; t < plan.threads; t++)
    primes += runSieveTask({ kind: "count_chunks", n, plan, next }, () => {}).primes;
  return primes;
}

describe("segmented sieve kernel", () => {
  it("counts pi(n) exactly for every n from 10 to 2000", () => {
    for (let n = 10; n <= 2000; n++) expect(countSplit(n, 1, 64), `n=${n}`).toBe(pi[n]);
  });

  it("counts prime squares, primes and their neighbours exactly", () => {
    const awkward = [10, 11, 12, 13, 25, 49, 121, 169, 289, 361, 529, 841, 961, 1369, 7919, 104729];
    for (const p of [1009, 1013, 1019, 1021, 1031, 1033]) awkward.push(p * p - 1, p * p, p * p + 1);
    for (const n of awkward) expect(countAsWorkers(n, 1), `n=${n}`).toBe(pi[n]);
  });

  it("is exact at segment boundaries, including the bucket path for large primes", () => {
    for (const segmentBytes of [64, 256, 4096]) {
      for (const segments of [1, 2, 3, 97]) {
        const edge = 30 * segments * segmentBytes;
        for (const n of [edge - 31, edge - 1, edge, edge + 1, edge + 29, edge + 30]) {
          expect(countSplit(n, 1, segmentBytes), `n=${n} segment=${segmentBytes}`).toBe(pi[n]);
        }
      }
      expect(countSplit(limit, 1, segmentBytes)).toBe(pi[limit]);
    }
  });

  it("is exact when small primes cross off block by block, whatever the block and the small-prime bound", () => {
    for (const [segmentBytes, blockBytes] of [
      [256, 64],
      [4096, 1024],
      [4096, 4096],
    ] as const) {
      for (const smallPrimeBelow of [0, 200, 1000, 100_000]) {
        for (const n of [30 * segmentBytes * 3 + 1, 1_000_003, limit]) {
          const ranges = splitWheelRange(n, 3);
          const found = ranges.reduce(
            (sum, r) => sum + countWheelPrimes({ n, ...r, segmentBytes, blockBytes, smallPrimeBelow }),
            0,
          );
          expect(found + smallPrimeCount(n), `n=${n} block=${blockBytes} small<${smallPrimeBelow}`).toBe(pi[n]);
        }
      }
    }
  });

  it("sizes segments from the L2 and blocks from the L1d, within bounds", () => {
    expect(sieveSizesForCache({ l1d: 48 << 10, l2: 2 << 20 })).toEqual({ segmentBytes: 1 << 18, blockBytes: 1 << 15 });
    expect(sieveSizesForCache({ l1d: 32 << 10, l2: 1 << 20 })).toEqual({ segmentBytes: 1 << 18, blockBytes: 1 << 14 });
    expect(sieveSizesForCache({ l1d: 64 << 10, l2: 4 << 20 })).toEqual({ segmentBytes: 1 << 19, blockBytes: 1 << 15 });
    expect(sieveSizesForCache({ l1d: null, l2: null })).toEqual({ segmentBytes: 1 << 18, blockBytes: 1 << 14 });
    expect(sieveSizesForCache({ l1d: 4 << 10, l2: 64 << 20 })).toEqual({ segmentBytes: 1 << 19, blockBytes: 1 << 14 });
    expect([parseCacheSize("2048K"), parseCacheSize("1M"), parseCacheSize("49152\n"), parseCacheSize("")]).toEqual([
      2 << 20,
      1 << 20,
      49152,
      null,
    ]);
  });

  it("is exact at thread split boundaries for 1 to 4 threads", () => {
    for (const threads of [2, 3, 4]) {
      for (const base of [400_000, 1_234_567, 2_999_000]) {
        for (const r of splitWheelRange(base, threads).slice(1)) {
          const edge = 30 * r.fromByte;
          for (const n of [edge - 1, edge, edge + 1, edge + 7, edge + 30]) {
            expect(countSplit(n, threads, 256), `n=${n} threads=${threads}`).toBe(pi[n]);
          }
        }
      }
    }
  });

  it("matches pi(10^k) for k = 1..9 with 1, 2, 3 and 4 thread shares", () => {
    for (let k = 1; k <= 9; k++) {
      const n = 10 ** k;
      for (const threads of [1, 2, 3, 4])
        expect(countAsWorkers(n, threads), `n=1e${k} threads=${threads}`).toBe(knownPrimeCounts.get(n));
    }
  });

  it("uses fewer threads than asked for when n is small", () => {
    expect(planWheelChunks(1000, 4).threads).toBe(1);
    expect(planWheelChunks(1e9, 4)).toMatchObject({ threads: 4, chunks: 24 });
    expect(planWheelChunks(1e10, 16)).toMatchObject({ threads: 16, chunks: 127 });
  });

  it("gives one thread [0, n] whole", () => {
    expect(planWheelChunks(1e9, 1)).toMatchObject({ chunks: 1, bounds: [0, 33_333_334] });
  });

  it("hands out big chunks first and 512 KiB ones at the end, covering [0, n] once", () => {
    const plan = planWheelChunks(1e10, 16);
    const sizes = plan.bounds.slice(1).map((to, i) => to - (plan.bounds[i] ?? 0));
    expect(plan.bounds[0]).toBe(0);
    expect(plan.bounds.at(-1)).toBe(plan.totalBytes);
    expect(sizes[0]).toBe(10_416_704);
    expect(sizes.at(-2)).toBe(1 << 19);
    expect(sizes.every((size, i) => size > 0 && size <= (sizes[i - 1] ?? size))).toBe(true);
    expect(plan.bounds.every((from) => from % 64 === 0 || from === plan.totalBytes)).toBe(true);
  });
});
