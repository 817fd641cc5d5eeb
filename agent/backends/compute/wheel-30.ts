/**
 * The mod-30 wheel: one byte holds the 8 numbers 30k + {1,7,11,13,17,19,23,29}, the only ones
 * that can be prime besides 2, 3 and 5. These tables turn "next multiple of p" into a byte step
 * and a bit mask, so the sieve kernels never divide.
 */

/** residues coprime to 30, bit j of a byte stands for 30k + wheelResidues[j] */
export const wheelResidues = [1, 7, 11, 13, 17, 19, 23, 29] as const;
/** gap from wheelResidues[j] to the next residue (29 -> 31) */
const wheelGaps = [6, 4, 2, 4, 2, 4, 6, 2] as const;

/** bit index of a residue mod 30, -1 when it shares a factor with 30 */
export const bitOfResidue = new Int8Array(30).fill(-1);
/** index j of the smallest wheel residue >= x, for x in 0..29 */
export const nextWheelIndex = new Uint8Array(30);
for (let x = 0; x < 30; x++) nextWheelIndex[x] = wheelResidues.findIndex((r) => r >= x);
wheelResidues.forEach((r, j) => {
  bitOfResidue[r] = j;
});

/**
 * For a sieving prime p = 30q + r (r = wheelResidues[ri]) whose multiple p*f has f at wheel index i,
 * the multiple after it lies `q * stepGap[i] + stepExtra[ri*8+i]` bytes further on, and the bit to
 * clear for p*f is `~clearMask[ri*8+i]` (stored already inverted: AND the byte with it).
 */
export const stepGap = Uint8Array.from(wheelGaps);
export const stepExtra = new Uint8Array(64);
export const clearMask = new Uint8Array(64);
for (let ri = 0; ri < 8; ri++) {
  const r = wheelResidues[ri] ?? 0;
  for (let i = 0; i < 8; i++) {
    const f = wheelResidues[i] ?? 0;
    stepExtra[ri * 8 + i] = Math.floor((r * (f + (wheelGaps[i] ?? 0))) / 30) - Math.floor((r * f) / 30);
    clearMask[ri * 8 + i] = ~(1 << (bitOfResidue[(r * f) % 30] ?? 0)) & 0xff;
  }
}

/** Byte index and wheel index of the first multiple p*f >= max(p*p, 30*fromByte) with f coprime to 30. */
export function firstMultiple(p: number, fromByte: number): { byte: number; wheel: number } {
  const from = 30 * fromByte;
  // float division can be off by one near 1e13: settle f = ceil(from / p) with exact products
  let f = Math.floor(from / p);
  while (f * p < from) f++;
  while (f > 0 && (f - 1) * p >= from) f--;
  if (f < p) f = p;
  const a = Math.floor(f / 30);
  const wheel = nextWheelIndex[f % 30] ?? 0;
  const fr = wheelResidues[wheel] ?? 0;
  const q = Math.floor(p / 30);
  const r = p % 30;
  return { byte: p * a + q * fr + Math.floor((r * fr) / 30), wheel };
}
