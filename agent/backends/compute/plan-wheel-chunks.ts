/**
 * Splits [0, n] into chunks of wheel bytes that the threads of a count take one at a time from a
 * shared counter, so a thread on a slower or busier core simply takes fewer of them: equal shares
 * fixed up front left 16 threads ending between 98 and 177 ms on a 16-core Xeon. Tiny counts are
 * not worth a thread, so small n uses fewer threads than asked for.
 */

/** chunks per thread: the last chunk to end costs at most about 1/8 of a thread's share */
const chunksPerThread = 8;
/** range starts stay multiples of 64 bytes, so 32-bit segment views stay aligned */
const alignBytes = 64;
/** 1 MiB of wheel bytes (31 M numbers): the sieving primes' set-up per chunk stays small beside it */
export const defaultMinChunkBytes = 1 << 20;

export interface WheelChunks {
  /** wheel bytes [0, floor(n / 30) + 1) */
  totalBytes: number;
  chunkBytes: number;
  chunks: number;
  /** threads worth starting: at most one per chunk */
  threads: number;
}

export interface WheelByteRange {
  fromByte: number;
  toByte: number;
}

/** Chunks covering [0, n] for up to `threads` threads, none smaller than `minChunkBytes` unless n is. */
export function planWheelChunks(n: number, threads: number, minChunkBytes = defaultMinChunkBytes): WheelChunks {
  const totalBytes = Math.floor(n / 30) + 1;
  const even = Math.ceil(totalBytes / (threads * chunksPerThread) / alignBytes) * alignBytes;
  const chunkBytes = Math.max(even, Math.ceil(minChunkBytes / alignBytes) * alignBytes);
  const chunks = Math.ceil(totalBytes / chunkBytes);
  return { totalBytes, chunkBytes, chunks, threads: Math.max(1, Math.min(threads, chunks)) };
}

/** Wheel bytes of chunk `index`. */
export function wheelChunk(plan: WheelChunks, index: number): WheelByteRange {
  const fromByte = index * plan.chunkBytes;
  return { fromByte, toByte: Math.min(fromByte + plan.chunkBytes, plan.totalBytes) };
}
