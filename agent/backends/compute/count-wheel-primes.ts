/**
 * The segmented sieve: counts primes in a byte range of the mod-30 wheel, one cache-sized segment
 * at a time. Small and medium primes are crossed off in wasm, 8 multiples per loop turn; primes
 * far larger than a segment wait in buckets for the segment their next multiple falls in, so work
 * and memory stay O(sqrt n) per thread whatever the range.
 */

import { createWasmKernels, type WasmKernels } from "./create-wasm-kernels.ts";
import { listPrimes } from "./list-primes.ts";
import { presievedPrimes } from "./presieve-pattern.ts";
import { createPrimeBuckets } from "./prime-buckets.ts";
import { bitOfResidue, firstMultiple, wheelResidues } from "./wheel-30.ts";

export interface WheelRange {
  /** count primes <= n */
  n: number;
  /** first wheel byte (numbers from 30 * fromByte) */
  fromByte: number;
  /** end wheel byte, exclusive; at most floor(n / 30) + 1 */
  toByte: number;
  /** segment size in bytes, a power of two */
  segmentBytes: number;
  /** L1-sized blocks: primes below `smallPrimeBelow` are crossed off block by block; 0 or none: whole segments */
  blockBytes?: number;
  /** with blocks: primes below this cross off block by block (default blockBytes / 8) */
  smallPrimeBelow?: number;
  /** called after each segment with the wheel bytes done so far */
  onSegment?: (bytesDone: number) => void;
}

/**
 * A prime's 8 multiples per cycle span p bytes: from 4 segments per cycle on, most segments hold
 * at most 2 of them, and scanning every such prime in every segment would cost more than buckets.
 */
const bucketSegments = 4;

/** one set of kernels (segment memory and pre-sieve patterns) per segment size, reused by every count */
const kernelsBySize = new Map<number, WasmKernels>();

function kernelsFor(size: number): WasmKernels {
  const cached = kernelsBySize.get(size);
  if (cached) return cached;
  // room for every prime below the bucket threshold x, pi(x) < 1.26 x / ln x (Rosser and Schoenfeld),
  // 16 times over: a medium prime has a place in 16 wheel lists (see countWheelPrimes)
  const x = size * bucketSegments;
  const kernels = createWasmKernels(size, 16 * Math.ceil((1.26 * x) / Math.log(x)) + 8);
  kernelsBySize.set(size, kernels);
  return kernels;
}

/** the primes up to the last root asked for: the chunks of one count all need the same ones */
let lastRoot: { root: number; primes: Uint32Array } | null = null;

function sievingPrimes(root: number): Uint32Array {
  if (lastRoot?.root !== root) lastRoot = { root, primes: listPrimes(root) };
  return lastRoot.primes;
}

/** Primes above the presieved ones in the numbers of wheel bytes [fromByte, toByte), <= n. */
export function countWheelPrimes(range: WheelRange): number {
  const { n, fromByte, toByte, segmentBytes: size } = range;
  const block = range.blockBytes || size;
  // a prime below block / 8 crosses off 64 or more bytes of every block: worth a visit per block
  // (on a Xeon, 32 KiB blocks: pi(1e9) in 164 ms with block / 32, 148 with / 16, 122 with / 8 and / 4)
  const smallBelow = range.blockBytes ? (range.smallPrimeBelow ?? block / 8) : 0;
  const shift = Math.log2(size);
  const lastPresieved = presievedPrimes[presievedPrimes.length - 1] ?? 0;
  const all = sievingPrimes(Math.floor(Math.sqrt(n)));
  let firstSieving = 0;
  while (firstSieving < all.length && (all[firstSieving] ?? 0) <= lastPresieved) firstSieving++;
  const primes = all.subarray(firstSieving);
  const count = primes.length;
  const bucketFrom = size * bucketSegments;
  let bucketed = 0;
  while (bucketed < count && (primes[count - 1 - bucketed] ?? 0) >= bucketFrom) bucketed++;
  const kernels = kernelsFor(size);
  const seg = kernels.segment;
  const buckets = createPrimeBuckets(primes[count - 1] ?? 0, size, bucketed);
  // medium primes lie in lists by residue class and by the wheel index they next enter the kernel's
  // unrolled code at, so every jump the kernel takes for them is the same within one list: for
  // class ri, 8 lists for this segment and 8 for the next, each with room for the whole class
  let mediumFrom = 0;
  while (mediumFrom < count - bucketed && (primes[mediumFrom] ?? 0) < smallBelow) mediumFrom++;
  const inClass = new Int32Array(8);
  for (let k = mediumFrom; k < count - bucketed; k++) {
    const ri = bitOfResidue[(primes[k] ?? 0) % 30] ?? 0;
    inClass[ri] = (inClass[ri] ?? 0) + 1;
  }
  const listStart = new Int32Array(128);
  for (let ri = 0, at = mediumFrom; ri < 8; ri++) {
    for (let list = 0; list < 16; list++, at += inClass[ri] ?? 0) listStart[ri * 16 + list] = at;
  }
  const listEnd = listStart.slice();
  // the 8 lists of one class and buffer: list (ri * 2 + buffer) * 8 + entry wheel index
  const startsOf = Array.from({ length: 16 }, (_, x) => listStart.subarray(8 * x, 8 * x + 8));
  const endsOf = Array.from({ length: 16 }, (_, x) => listEnd.subarray(8 * x, 8 * x + 8));
  let current = 0;
  let active = 0;
  let total = 0;
  for (let start = fromByte, segIndex = 0; start < toByte; start += size, segIndex++) {
    const len = Math.min(size, toByte - start);
    kernels.presieve(start, len);
    if (start === 0) seg[0] = (seg[0] ?? 0) & 0xfe; // 1 is not prime
    const end = start + len;
    // a prime joins once the segment reaches its square
    for (; active < count; active++) {
      const p = primes[active] ?? 0;
      if ((p * p - 1) / 30 >= end) break;
      const first = firstMultiple(p, start);
      if (p >= bucketFrom) buckets.add(p, first.byte - start, first.wheel, segIndex);
      else {
        const ri = bitOfResidue[p % 30] ?? 0;
        let k = active;
        if (active >= mediumFrom) {
          const list = ri * 16 + current * 8 + first.wheel;
          k = listEnd[list] ?? 0;
          listEnd[list] = k + 1;
        }
        kernels.quotients[k] = Math.floor(p / 30);
        kernels.positions[k] = first.byte - start;
        kernels.wheels[k] = (ri << 3) | first.wheel;
      }
    }
    const small = Math.min(active, mediumFrom);
    // the dense crossings of small primes stay in L1: all of them over one block, then the next
    for (let from = 0; from < len; from += block) kernels.sieveSegment(from, Math.min(from + block, len), 0, small);
    const next = 1 - current;
    for (let ri = 0; ri < 8; ri++) {
      const into = endsOf[ri * 2 + next] as Int32Array;
      into.set(startsOf[ri * 2 + next] as Int32Array);
      for (let list = ri * 16 + current * 8; list < ri * 16 + current * 8 + 8; list++) {
        kernels.sieveIntoWheelLists(len, listStart[list] ?? 0, listEnd[list] ?? 0, into);
      }
    }
    current = next;
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
