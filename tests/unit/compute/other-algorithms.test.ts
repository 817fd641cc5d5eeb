import { describe, expect, it } from "vitest";
import { countPrimesSimple } from "../../../agent/backends/compute/count-primes-simple.ts";
import { countPrimesTrial } from "../../../agent/backends/compute/count-primes-trial.ts";
import { knownPrimeCounts } from "../../../coordinator/protocol/compute.ts";
import { referencePrimeCounts } from "./reference-prime-counts.ts";

const pi = referencePrimeCounts(20_000);

describe("simple sieve", () => {
  it("counts pi(n) exactly for every n from 0 to 20000", () => {
    for (let n = 0; n <= 20_000; n++) expect(countPrimesSimple(n), `n=${n}`).toBe(pi[n] ?? 0);
  });

  it("matches pi(10^k) up to 1e8 and reports progress up to below 1", () => {
    const fractions: number[] = [];
    for (let k = 1; k <= 8; k++)
      expect(countPrimesSimple(10 ** k, (f) => fractions.push(f))).toBe(knownPrimeCounts.get(10 ** k));
    expect(fractions.length).toBeGreaterThan(100);
    expect(Math.max(...fractions)).toBeLessThan(1);
  });
});

describe("trial division", () => {
  it("counts pi(n) exactly for every n from 0 to 20000", () => {
    for (let n = 0; n <= 20_000; n += n < 2000 ? 1 : 97) expect(countPrimesTrial(n), `n=${n}`).toBe(pi[n] ?? 0);
  });

  it("matches pi(10^k) up to 1e7", () => {
    for (let k = 1; k <= 7; k++) expect(countPrimesTrial(10 ** k)).toBe(knownPrimeCounts.get(10 ** k));
  });
});
