/**
 * Splits [0, n] into contiguous wheel-byte ranges, one per worker thread. Tiny ranges are not
 * worth a thread, so small n uses fewer threads than asked for.
 */

/** a thread gets at least this many wheel bytes (about 120,000 numbers) */
const minBytesPerThread = 4096;
/** range starts stay multiples of 64 bytes, so 32-bit segment views stay aligned */
const alignBytes = 64;

export interface WheelByteRange {
  fromByte: number;
  toByte: number;
}

/** Ranges covering wheel bytes [0, floor(n / 30) + 1), at most `threads` of them, none empty. */
export function splitWheelRange(n: number, threads: number): WheelByteRange[] {
  const totalBytes = Math.floor(n / 30) + 1;
  const used = Math.max(1, Math.min(threads, Math.floor(totalBytes / minBytesPerThread)));
  const chunk = Math.ceil(totalBytes / used / alignBytes) * alignBytes;
  const ranges: WheelByteRange[] = [];
  for (let from = 0; from < totalBytes; from += chunk) {
    ranges.push({ fromByte: from, toByte: Math.min(from + chunk, totalBytes) });
  }
  return ranges;
}
