/**
 * Pre-sieving: multiples of the smallest primes repeat with a short period, so instead of
 * crossing them off in every segment the kernel starts each segment as the AND of a few
 * precomputed patterns, one per group of primes, read at offset `byte % period`.
 */
import { bitOfResidue, wheelResidues } from "./wheel-30.ts";

/**
 * Groups of primes sharing one pattern; each group's period is the product of its primes. The
 * groups of three (as primesieve groups them) have periods near 32 KiB and the pairs near 16 KiB,
 * so all 15 patterns (about 330 KiB) stay in cache beside the segment.
 */
export const presieveGroups = [
  [7, 67, 71],
  [11, 41, 73],
  [13, 43, 59],
  [17, 37, 53],
  [19, 29, 61],
  [23, 31, 47],
  [79, 97],
  [83, 89],
  [101, 163],
  [103, 157],
  [107, 151],
  [109, 149],
  [113, 139],
  [127, 137],
  [131, 167],
] as const;
/** primes whose multiples (themselves included) the patterns have already cleared, ascending */
export const presievedPrimes: readonly number[] = presieveGroups.flat().sort((a, b) => a - b);
/** each group's period in wheel bytes */
export const presievePeriods: readonly number[] = presieveGroups.map((g) => g.reduce((a: number, p) => a * p, 1));

/**
 * Fills `target` with wheel bytes from byte 0 on, with the multiples of `primes` cleared.
 * With target.length >= period + segment size, any segment is one contiguous read.
 */
export function fillPresievePattern(target: Uint8Array, primes: readonly number[]): void {
  target.fill(0xff);
  for (const p of primes) {
    // multiple p*f with f = 30a + r lands at byte p*a + (p*r)/30, bit of (p*r) % 30
    for (const r of wheelResidues) {
      const m = p * r;
      const mask = ~(1 << (bitOfResidue[m % 30] ?? 0)) & 0xff;
      for (let b = Math.floor(m / 30); b < target.length; b += p) target[b] = (target[b] ?? 0) & mask;
    }
  }
}
