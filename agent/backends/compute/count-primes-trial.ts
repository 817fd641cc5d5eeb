/**
 * Trial division: every odd number is divided by the primes up to its square root. Slow on purpose
 * (about n^1.5 / log n divisions): it shows what a sieve saves.
 */

/** Number of primes <= n; `onProgress` gets the fraction of the numbers tested now and then. */
export function countPrimesTrial(n: number, onProgress: (fraction: number) => void = () => {}): number {
  if (n < 2) return 0;
  // divisors only need to reach sqrt(n): the primes found below it are kept
  const divisors = new Uint32Array(Math.max(16, Math.ceil(Math.sqrt(n))));
  let kept = 0;
  let count = 1; // the prime 2
  const keepUpTo = Math.sqrt(n);
  for (let m = 3; m <= n; m += 2) {
    if ((m & 0xffff) === 1) onProgress(m / n);
    let prime = true;
    for (let k = 0; k < kept; k++) {
      const d = divisors[k] as number;
      if (d * d > m) break;
      if (m % d === 0) {
        prime = false;
        break;
      }
    }
    if (!prime) continue;
    count++;
    if (m <= keepUpTo) divisors[kept++] = m;
  }
  return count;
}
