/** Counting the set bits of a sieved segment: 32 bits at a time with the SWAR bit-count trick. */

/** Number of set bits in bytes[0, len). */
export function popcountBytes(bytes: Uint8Array, len: number): number {
  const words = new Int32Array(bytes.buffer, bytes.byteOffset, len >>> 2);
  let total = 0;
  for (let k = 0; k < words.length; k++) {
    let v = words[k] as number;
    v -= (v >>> 1) & 0x55555555;
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    total += Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
  }
  for (let b = len & ~3; b < len; b++) {
    let v = bytes[b] as number;
    for (; v !== 0; v &= v - 1) total++;
  }
  return total;
}
