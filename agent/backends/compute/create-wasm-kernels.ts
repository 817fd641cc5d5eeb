/**
 * One instance of the sieve's WebAssembly kernels with its memory: the segment, the wheel tables,
 * the sieving primes' state and the pre-sieve patterns. Building the patterns takes tens of
 * milliseconds, so each thread keeps its instance and reuses it for every count.
 */
import { assembleWasmModule } from "./assemble-wasm-module.ts";
import { fillPresievePattern, presieveGroups, presievePeriods } from "./presieve-pattern.ts";
import { popcountFunction, presieveFunction, sieveSegmentFunction, tableOffsets } from "./sieve-wasm-functions.ts";
import { clearMask, stepExtra, stepGap } from "./wheel-30.ts";

export interface WasmKernels {
  /** the segment, a view of wasm memory (fixed size, never detached) */
  segment: Uint8Array;
  /** most sieving primes the state arrays hold */
  capacity: number;
  /** sieving prime k (ascending) */
  primes: Int32Array;
  /** byte of prime k's next multiple, relative to the start of the next segment to sieve */
  positions: Int32Array;
  /** (ri << 3) | i: prime k's residue class ri (p % 30 = wheelResidues[ri]) and its next multiple's wheel index i */
  wheels: Int32Array;
  /** sets segment[0, len) to the pre-sieved wheel bytes from `startByte` on */
  presieve(startByte: number, len: number): void;
  /** crosses off the multiples of primes[0, count) in segment[0, len) and moves their state on */
  sieveSegment(len: number, count: number): void;
  /** set bits in segment[0, len); bytes up to the next multiple of 8 must be zero */
  popcount(len: number): number;
}

interface KernelExports {
  sieveSegment(len: number, countBytes: number, primesAt: number, posAt: number, wheelAt: number, tables: number): void;
  presieve(len: number, ...sources: number[]): void;
  popcount(len: number): number;
}

/** Kernels for segments of `segmentBytes` bytes (a multiple of 8) and up to `capacity` sieving primes. */
export function createWasmKernels(segmentBytes: number, capacity: number): WasmKernels {
  let bytes = segmentBytes;
  const take = (size: number) => {
    const at = bytes;
    bytes += Math.ceil(size / 8) * 8;
    return at;
  };
  const tablesAt = take(tableOffsets.size);
  const primesAt = take(4 * capacity);
  const posAt = take(4 * capacity);
  const wheelAt = take(4 * capacity);
  const patternsAt = presievePeriods.map((period) => take(period + segmentBytes + 8));
  const pages = Math.ceil(bytes / 65536);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const functions = [sieveSegmentFunction(), presieveFunction(presieveGroups.length), popcountFunction()];
  const module = new WebAssembly.Module(assembleWasmModule(pages, functions));
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  const buffer = memory.buffer;
  new Uint8Array(buffer, tablesAt + tableOffsets.gap, 8).set(stepGap);
  new Uint8Array(buffer, tablesAt + tableOffsets.extra, 64).set(stepExtra);
  new Uint8Array(buffer, tablesAt + tableOffsets.mask, 64).set(clearMask);
  presieveGroups.forEach((group, g) => {
    const size = (presievePeriods[g] ?? 0) + segmentBytes + 8;
    fillPresievePattern(new Uint8Array(buffer, patternsAt[g] ?? 0, size), group);
  });
  const sources = patternsAt.map(() => 0);
  return {
    segment: new Uint8Array(buffer, 0, segmentBytes),
    capacity,
    primes: new Int32Array(buffer, primesAt, capacity),
    positions: new Int32Array(buffer, posAt, capacity),
    wheels: new Int32Array(buffer, wheelAt, capacity),
    presieve: (startByte, len) => {
      for (let g = 0; g < sources.length; g++) {
        sources[g] = (patternsAt[g] ?? 0) + (startByte % (presievePeriods[g] ?? 1));
      }
      exports.presieve((len + 7) & ~7, ...sources);
    },
    sieveSegment: (len, count) => exports.sieveSegment(len, 4 * count, primesAt, posAt, wheelAt, tablesAt),
    popcount: (len) => exports.popcount(len),
  };
}
