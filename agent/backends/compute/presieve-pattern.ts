/**
 * Pre-sieving: multiples of the smallest primes repeat with a short period, so instead of
 * crossing them off in every segment the kernel starts each segment as the AND of a few
 * precomputed patterns, one per group of primes, read at offset `byte % period`.
 */
import { bitOfResidue, wheelResidues } from "./wheel-30.ts";

/** Groups of primes sharing one pattern; each group's period is the product of its primes. */
export const presieveGroups = [
  [7, 11, 13, 17, 19],
  [23, 29, 31, 37],
  [41, 43, 47],
  [53, 59, 61],
  [67, 71, 73],
  [79, 83, 89],
  [97, 101, 103],
  [107, 109, 113],
  [127, 131, 137],
  [139, 149, 151],
  [157, 163],
] as const;
/** primes whose multiples (themselves included) the patterns have already cleared, ascending */
export const presievedPrimes: readonly number[] = presieveGroups.flat();
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
