/**
 * One instance of the sieve's WebAssembly kernels with its memory: the segment, the sieving
 * primes' state and the pre-sieve patterns. Building the patterns takes tens of
 * milliseconds, so each thread keeps its instance and reuses it for every count.
 */
import { assembleWasmModule } from "./assemble-wasm-module.ts";
import { fillPresievePattern, presieveGroups, presievePeriods } from "./presieve-pattern.ts";
import { sieveSegmentFunction } from "./sieve-segment-function.ts";
import { popcountFunction, presieveFunction } from "./sieve-wasm-functions.ts";

export interface WasmKernels {
  /** the segment, a view of wasm memory (fixed size, never detached) */
  segment: Uint8Array;
  /** most sieving primes the state arrays hold */
  capacity: number;
  /** sieving prime k (small primes ascending, then the medium ones in wheel lists) divided by 30, rounded down: p = 30 * quotient + its residue */
  quotients: Int32Array;
  /** byte of prime k's next multiple, relative to the start of the next segment to sieve */
  positions: Int32Array;
  /** (ri << 3) | i: prime k's residue class ri (p % 30 = wheelResidues[ri]) and its next multiple's wheel index i */
  wheels: Int32Array;
  /** sets segment[0, len) to the pre-sieved wheel bytes from `startByte` on */
  presieve(startByte: number, len: number): void;
  /** crosses off the multiples of sieving primes [kFrom, kTo) in segment bytes [from, end) and moves their state on */
  sieveSegment(from: number, end: number, kFrom: number, kTo: number): void;
  /**
   * like sieveSegment over the whole segment [0, end), but each prime's new state goes to the end of
   * the list of the wheel index it next enters at: `listEnds[i]` (an index, moved on) for i in 0..7
   */
  sieveIntoWheelLists(end: number, kFrom: number, kTo: number, listEnds: Int32Array): void;
  /** set bits in segment[0, len); bytes up to the next multiple of 8 must be zero */
  popcount(len: number): number;
}

interface KernelExports {
  sieveSegment(
    from: number,
    end: number,
    kFromBytes: number,
    kToBytes: number,
    quotientsAt: number,
    posAt: number,
    wheelAt: number,
  ): void;
  sieveIntoWheelLists(
    from: number,
    end: number,
    kFromBytes: number,
    kToBytes: number,
    quotientsAt: number,
    posAt: number,
    wheelAt: number,
    cursorsAt: number,
  ): void;
  presieve(len: number, ...sources: number[]): void;
  popcount(len: number): number;
}

/** Kernels for segments of `segmentBytes` bytes (a multiple of 8) and up to `capacity` sieving primes. */
export function createWasmKernels(segmentBytes: number, capacity: number): WasmKernels {
  // 16 bytes of slack: the pre-sieve's last 16-byte step may run past the segment's end
  let bytes = segmentBytes + 16;
  const take = (size: number) => {
    const at = bytes;
    bytes += Math.ceil(size / 8) * 8;
    return at;
  };
  const quotientsAt = take(4 * capacity);
  const posAt = take(4 * capacity);
  const wheelAt = take(4 * capacity);
  const cursorsAt = take(4 * 8);
  const patterns = presievePeriods.map((period) => ({ at: take(period + 16), period }));
  const pages = Math.ceil(bytes / 65536);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const functions = [
    sieveSegmentFunction("in-place"),
    sieveSegmentFunction("into-wheel-lists"),
    presieveFunction(patterns),
    popcountFunction(),
  ];
  const module = new WebAssembly.Module(assembleWasmModule(pages, functions));
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  const buffer = memory.buffer;
  presieveGroups.forEach((group, g) => {
    const { at, period } = patterns[g] ?? { at: 0, period: 0 };
    fillPresievePattern(new Uint8Array(buffer, at, period + 16), group);
  });
  const offsets = patterns.map(() => 0);
  const cursors = new Int32Array(buffer, cursorsAt, 8);
  return {
    segment: new Uint8Array(buffer, 0, segmentBytes),
    capacity,
    quotients: new Int32Array(buffer, quotientsAt, capacity),
    positions: new Int32Array(buffer, posAt, capacity),
    wheels: new Int32Array(buffer, wheelAt, capacity),
    presieve: (startByte, len) => {
      for (let g = 0; g < offsets.length; g++) offsets[g] = startByte % (presievePeriods[g] ?? 1);
      exports.presieve(len, ...offsets);
    },
    sieveSegment: (from, end, kFrom, kTo) =>
      exports.sieveSegment(from, end, 4 * kFrom, 4 * kTo, quotientsAt, posAt, wheelAt),
    sieveIntoWheelLists: (end, kFrom, kTo, listEnds) => {
      for (let i = 0; i < 8; i++) cursors[i] = 4 * (listEnds[i] ?? 0);
      exports.sieveIntoWheelLists(0, end, 4 * kFrom, 4 * kTo, quotientsAt, posAt, wheelAt, cursorsAt);
      for (let i = 0; i < 8; i++) listEnds[i] = (cursors[i] ?? 0) / 4;
    },
    popcount: (len) => exports.popcount(len),
  };
}
