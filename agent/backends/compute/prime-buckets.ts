/**
 * Bucket sieving for sieving primes much larger than a segment: most segments hold none of their
 * multiples, so each prime waits in the bucket of the segment its next multiple falls in
 * (Oliveira e Silva's method). Entries live in typed arrays linked into lists, one list per bucket.
 */
import { bitOfResidue, clearMask, stepExtra, stepGap } from "./wheel-30.ts";

export interface PrimeBuckets {
  /** file prime p whose next multiple is `byte` bytes after the start of segment `segIndex` */
  add(p: number, byte: number, wheel: number, segIndex: number): void;
  /** cross off the bucketed multiples that fall in segment `segIndex` (seg[0, len)) */
  sieveSegment(seg: Uint8Array, len: number, segIndex: number, shift: number): void;
}

// imported bindings may compile to getter calls (tsx, vitest): hot loops read these local aliases
const masks = clearMask;
const extra = stepExtra;
const gaps = stepGap;

/** Buckets for up to `capacity` primes, none above `maxPrime`, over segments of `segmentBytes` bytes. */
export function createPrimeBuckets(maxPrime: number, segmentBytes: number, capacity: number): PrimeBuckets {
  // one step moves at most 6 * (p / 30) + 6 bytes: that many segments ahead, plus the current one
  const ring = Math.ceil((maxPrime / 5 + 8) / segmentBytes) + 2;
  const heads = new Int32Array(ring).fill(-1);
  let size = 0;
  const prime = new Uint32Array(capacity);
  const at = new Int32Array(capacity);
  const wheelOf = new Uint8Array(capacity);
  const nextOf = new Int32Array(capacity);
  const file = (e: number, byte: number, segIndex: number, shift: number) => {
    const ahead = byte >>> shift;
    const slot = (segIndex + ahead) % ring;
    at[e] = byte - (ahead << shift);
    nextOf[e] = heads[slot] as number;
    heads[slot] = e;
  };
  return {
    add(p, byte, wheel, segIndex) {
      const e = size++;
      prime[e] = p;
      wheelOf[e] = ((bitOfResidue[p % 30] ?? 0) << 3) | wheel;
      file(e, byte, segIndex, Math.log2(segmentBytes));
    },
    sieveSegment(seg, len, segIndex, shift) {
      const slot = segIndex % ring;
      let e = heads[slot] as number;
      heads[slot] = -1;
      while (e !== -1) {
        const following = nextOf[e] as number;
        const p = prime[e] as number;
        const q = (p / 30) | 0;
        const w = wheelOf[e] as number;
        const rb = w & 0x38;
        let i = w & 7;
        let b = at[e] as number;
        while (b < len) {
          seg[b] = (seg[b] as number) & (masks[rb + i] as number);
          b += q * (gaps[i] as number) + (extra[rb + i] as number);
          i = (i + 1) & 7;
        }
        wheelOf[e] = rb | i;
        file(e, b, segIndex, shift);
        e = following;
      }
    },
  };
}
