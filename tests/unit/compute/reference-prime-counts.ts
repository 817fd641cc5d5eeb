/** A deliberately plain sieve for the tests: pi(x) for every x <= limit, to check the fast kernels against. */

/** counts[x] = number of primes <= x, for 0 <= x <= limit. */
export function referencePrimeCounts(limit: number): Uint32Array {
  const composite = new Uint8Array(limit + 1);
  const counts = new Uint32Array(limit + 1);
  let running = 0;
  for (let x = 2; x <= limit; x++) {
    if (composite[x] === 0) {
      running++;
      for (let m = x * x; m <= limit; m += x) composite[m] = 1;
    }
    counts[x] = running;
  }
  return counts;
}
