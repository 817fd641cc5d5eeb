/**
 * Pre-sieving: multiples of the smallest primes repeat with a short period, so instead of
 * crossing them off in every segment the kernel starts each segment from a copy of that pattern.
 */
import { bitOfResidue, wheelResidues } from "./wheel-30.ts";

/** primes whose multiples (themselves included) the pattern has already cleared */
export const presievedPrimes = [7, 11, 13, 17, 19] as const;
/** the pattern repeats every 7*11*13*17*19 bytes of the mod-30 wheel */
export const presievePeriod = presievedPrimes.reduce((a, p) => a * p, 1);

/**
 * `length` wheel bytes with the multiples of `presievedPrimes` cleared. With length >= period + segment
 * size, any segment is one contiguous copy from offset `byte % period`.
 */
export function createPresievePattern(length: number): Uint8Array {
  const pattern = new Uint8Array(length).fill(0xff);
  for (const p of presievedPrimes) {
    // multiple p*f with f = 30a + wheelResidues[j] lands at byte p*a + (p*r)/30, bit of (p*r) % 30
    for (const r of wheelResidues) {
      const m = p * r;
      const mask = ~(1 << (bitOfResidue[m % 30] ?? 0)) & 0xff;
      for (let b = Math.floor(m / 30); b < pattern.length; b += p) pattern[b] = (pattern[b] ?? 0) & mask;
    }
  }
  return pattern;
}
