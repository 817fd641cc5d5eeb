/**
 * The textbook sieve of Eratosthenes over all of [0, n], kept for its teaching value and as a
 * baseline: one bit per odd number, no segments, so memory grows with n (n/16 bytes).
 */

/** Number of primes <= n; `onProgress` gets the fraction of the work done now and then. */
export function countPrimesSimple(n: number, onProgress: (fraction: number) => void = () => {}): number {
  if (n < 2) return 0;
  const odds = Math.floor((n - 1) / 2); // bit i stands for 2i + 1, for i in 1..odds
  const bits = new Int32Array((odds >>> 5) + 1);
  const root = Math.floor(Math.sqrt(n));
  // crossing off with p costs about n / (2p); the odd primes up to x have 1/p summing to about
  // ln ln x - 0.24 (Mertens), so the running sum over that estimate tracks the work done
  const work = Math.max(0.5, Math.log(Math.log(Math.max(root, 3))) - 0.24);
  let done = 0;
  for (let i = 1; 2 * i + 1 <= root; i++) {
    if ((bits[i >>> 5] as number) & (1 << (i & 31))) continue;
    const p = 2 * i + 1;
    for (let j = (p * p - 1) / 2; j <= odds; j += p) bits[j >>> 5] = (bits[j >>> 5] as number) | (1 << (j & 31));
    done += 1 / p;
    onProgress(Math.min(0.99, done / work));
  }
  let composites = 0;
  for (let k = 0; k < bits.length; k++) {
    let v = bits[k] as number;
    v -= (v >>> 1) & 0x55555555;
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    composites += Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
  }
  // bits past `odds` in the last word were never set; bit 0 (the number 1) is neither prime nor marked
  return 1 + odds - composites;
}
