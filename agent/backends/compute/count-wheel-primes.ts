/**
 * The segmented sieve kernel: counts primes in a byte range of the mod-30 wheel, one cache-sized
 * segment at a time. Small primes cross off 8 multiples per loop turn; primes far larger than a
 * segment wait in buckets for the segment their next multiple falls in, so work and memory stay
 * O(sqrt n) per thread whatever the range.
 */

import { type CrossCycles, createWasmKernels, type WasmKernels } from "./create-wasm-kernels.ts";
import { listPrimes } from "./list-primes.ts";
import { presievedPrimes } from "./presieve-pattern.ts";
import { createPrimeBuckets } from "./prime-buckets.ts";
import { bitOfResidue, clearMask, firstMultiple, stepExtra, stepGap, wheelResidues } from "./wheel-30.ts";

/** 512 KiB: measured fastest here (L2 is 1 MiB per core); 32 KiB segments pay more per-prime set-up */
export const defaultSegmentBytes = 1 << 19;

export interface WheelRange {
  /** count primes <= n */
  n: number;
  /** first wheel byte (numbers from 30 * fromByte) */
  fromByte: number;
  /** end wheel byte, exclusive; at most floor(n / 30) + 1 */
  toByte: number;
  /** segment size in bytes, a power of two */
  segmentBytes: number;
  /** called after each segment with the wheel bytes done so far */
  onSegment?: (bytesDone: number) => void;
}

// imported bindings may compile to getter calls (tsx, vitest): hot loops read these local aliases
const masks = clearMask;
const extra = stepExtra;
const gaps = stepGap;

/** one set of kernels (segment memory and pre-sieve patterns) per segment size, reused by every count */
const kernelsBySize = new Map<number, WasmKernels>();

/** Primes above the presieved ones in the numbers of wheel bytes [fromByte, toByte), <= n. */
export function countWheelPrimes(range: WheelRange): number {
  const { n, fromByte, toByte, segmentBytes: size } = range;
  const shift = Math.log2(size);
  const kernels = kernelsBySize.get(size) ?? createWasmKernels(size);
  kernelsBySize.set(size, kernels);
  const seg = kernels.segment;
  const cross = kernels.crossCycles;
  const lastPresieved = presievedPrimes[presievedPrimes.length - 1] ?? 0;
  const all = listPrimes(Math.floor(Math.sqrt(n)));
  let firstSieving = 0;
  while (firstSieving < all.length && (all[firstSieving] ?? 0) <= lastPresieved) firstSieving++;
  const primes = all.subarray(firstSieving);
  const count = primes.length;
  const rbase = primes.map((p) => bitOfResidue[p % 30] ?? 0).map((ri) => ri << 3);
  // a prime's 8 multiples per cycle span p bytes: from 4 segments per cycle on, most segments hold
  // at most 2 of them, and scanning every such prime in every segment would cost more than buckets
  const bucketFrom = size * 4;
  const pos = new Int32Array(count);
  const wheel = new Uint8Array(count);
  const buckets = createPrimeBuckets(primes[count - 1] ?? 0, size, primes.filter((p) => p >= bucketFrom).length);
  let active = 0;
  let next = 0;
  let total = 0;
  for (let start = fromByte, segIndex = 0; start < toByte; start += size, segIndex++) {
    const len = Math.min(size, toByte - start);
    kernels.presieve(start, len);
    if (start === 0) seg[0] = (seg[0] ?? 0) & 0xfe; // 1 is not prime
    const end = start + len;
    for (; next < count; next++) {
      const p = primes[next] ?? 0;
      if ((p * p - 1) / 30 >= end) break;
      const first = firstMultiple(p, start);
      if (p >= bucketFrom) buckets.add(p, first.byte - start, first.wheel, segIndex);
      else {
        pos[next] = first.byte - start;
        wheel[next] = first.wheel;
        active = next + 1;
      }
    }
    for (let k = 0; k < active; k++) {
      const p = primes[k] ?? 0;
      const r = sieveOne(seg, cross, len, p, rbase[k] ?? 0, pos[k] ?? 0, wheel[k] ?? 0);
      pos[k] = (r >> 3) - len;
      wheel[k] = r & 7;
    }
    buckets.sieveSegment(seg, len, segIndex, shift);
    const lastByte = Math.floor(n / 30);
    if (lastByte >= start && lastByte < end) {
      let keep = 0;
      for (let j = 0; j < 8; j++) if (30 * lastByte + (wheelResidues[j] ?? 0) <= n) keep |= 1 << j;
      seg[lastByte - start] = (seg[lastByte - start] ?? 0) & keep;
    }
    const padded = (len + 7) & ~7;
    seg.fill(0, len, padded);
    total += kernels.popcount(padded);
    range.onSegment?.(end - fromByte);
  }
  return total;
}

/**
 * Cross off the multiples of p in seg[0, len) from byte b at wheel index i; returns the
 * position after the segment and the wheel index packed as (b << 3) | i.
 */
function sieveOne(
  seg: Uint8Array,
  cross: readonly CrossCycles[],
  len: number,
  p: number,
  rb: number,
  b: number,
  i: number,
): number {
  const q = (p / 30) | 0;
  while (i !== 0 && b < len) {
    seg[b] = (seg[b] as number) & (masks[rb + i] as number);
    b += q * (gaps[i] as number) + (extra[rb + i] as number);
    i = (i + 1) & 7;
  }
  // a whole cycle (p bytes, 8 multiples) fits: let the wasm loop cross off cycle after cycle
  if (i === 0 && b + p <= len) {
    const o1 = q * 6 + (extra[rb] as number);
    const o2 = o1 + q * 4 + (extra[rb + 1] as number);
    const o3 = o2 + q * 2 + (extra[rb + 2] as number);
    const o4 = o3 + q * 4 + (extra[rb + 3] as number);
    const o5 = o4 + q * 2 + (extra[rb + 4] as number);
    const o6 = o5 + q * 4 + (extra[rb + 5] as number);
    const o7 = o6 + q * 6 + (extra[rb + 6] as number);
    b = (cross[rb >> 3] as CrossCycles)(b, len - o7, p, o1, o2, o3, o4, o5, o6, o7);
  }
  while (b < len) {
    seg[b] = (seg[b] as number) & (masks[rb + i] as number);
    b += q * (gaps[i] as number) + (extra[rb + i] as number);
    i = (i + 1) & 7;
  }
  return b * 8 + i;
}
