/**
 * Splits [0, n] into chunks of wheel bytes that the threads of a count take one at a time from a
 * shared counter, so a thread on a slower or busier core simply takes fewer of them: equal shares
 * fixed up front left 16 threads ending between 98 and 177 ms on a 16-core Xeon. Chunks shrink as
 * the count goes on (guided scheduling): each takes 1 / (2 x threads) of what is left, so the
 * first ones are big (few set-ups) and the last ones small (threads end close together). One
 * thread takes [0, n] whole. Tiny counts are not worth a thread, so small n uses fewer threads.
 */

/** each chunk takes 1 / (shareOfRest x threads) of the bytes not yet handed out */
const shareOfRest = 2;
/** range starts stay multiples of 64 bytes, so 32-bit segment views stay aligned */
const alignBytes = 64;
/** 512 KiB of wheel bytes (15 M numbers): the sieving primes' set-up per chunk stays small beside it */
export const defaultMinChunkBytes = 1 << 19;

export interface WheelChunks {
  /** wheel bytes [0, floor(n / 30) + 1) */
  totalBytes: number;
  /** chunk i is wheel bytes [bounds[i], bounds[i + 1]): chunks + 1 ascending entries, 0 first */
  bounds: number[];
  chunks: number;
  /** threads worth starting: at most one per chunk */
  threads: number;
}

export interface WheelByteRange {
  fromByte: number;
  toByte: number;
}

const alignUp = (bytes: number) => Math.ceil(bytes / alignBytes) * alignBytes;

/** Chunks covering [0, n] for up to `threads` threads, none smaller than `minChunkBytes` unless n is. */
export function planWheelChunks(n: number, threads: number, minChunkBytes = defaultMinChunkBytes): WheelChunks {
  const totalBytes = Math.floor(n / 30) + 1;
  const minBytes = alignUp(minChunkBytes);
  const bounds = [0];
  if (threads <= 1) bounds.push(totalBytes);
  for (let at = 0; threads > 1 && at < totalBytes; bounds.push(at)) {
    at = Math.min(totalBytes, at + Math.max(minBytes, alignUp((totalBytes - at) / (shareOfRest * threads))));
  }
  const chunks = bounds.length - 1;
  return { totalBytes, bounds, chunks, threads: Math.max(1, Math.min(threads, chunks)) };
}

/** Wheel bytes of chunk `index`. */
export function wheelChunk(plan: WheelChunks, index: number): WheelByteRange {
  return { fromByte: plan.bounds[index] ?? plan.totalBytes, toByte: plan.bounds[index + 1] ?? plan.totalBytes };
}
