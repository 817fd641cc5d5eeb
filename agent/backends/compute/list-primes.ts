/** The sieving primes (all primes <= sqrt n, a few million at most), from a plain odd-only sieve. */

/** Every prime <= limit, ascending. */
export function listPrimes(limit: number): Uint32Array {
  if (limit < 2) return new Uint32Array(0);
  const half = Math.floor((limit - 1) / 2); // index i stands for 2i+1, i >= 1
  const composite = new Uint8Array(half + 1);
  for (let i = 1; (2 * i + 1) * (2 * i + 1) <= limit; i++) {
    if (composite[i] === 1) continue;
    const p = 2 * i + 1;
    for (let j = (p * p - 1) / 2; j <= half; j += p) composite[j] = 1;
  }
  const primes: number[] = [2];
  for (let i = 1; i <= half; i++) if (composite[i] === 0) primes.push(2 * i + 1);
  return Uint32Array.from(primes);
}
