/**
 * The events of one job that arrived ahead of a gap, kept by seq until the gap fills. Bounded in
 * bytes, not count: an event that would take the total past the bound is not kept, and comes again
 * with the resend the room asks for.
 */
import type { JobEvent } from "../protocol/job.ts";
import { utf8ByteLength } from "./parse-message.ts";

/** Bytes of out-of-order events (as JSON) kept per job while waiting for a gap to fill. */
export const maxHeldEventBytes = 4 * 1024 * 1024;

export interface HeldJobEvents {
  /** keeps the event unless that would pass the byte bound; true when kept */
  hold(seq: number, event: JobEvent): boolean;
  /** removes and returns the event held for `seq` */
  take(seq: number): JobEvent | undefined;
  /** events held now */
  readonly size: number;
  /** bytes held now */
  readonly bytes: number;
}

export function createHeldJobEvents(maxBytes = maxHeldEventBytes): HeldJobEvents {
  const held = new Map<number, { event: JobEvent; bytes: number }>();
  let bytes = 0;
  return {
    hold(seq, event) {
      if (held.has(seq)) return true;
      const size = utf8ByteLength(JSON.stringify(event));
      if (bytes + size > maxBytes) return false;
      held.set(seq, { event, bytes: size });
      bytes += size;
      return true;
    },
    take(seq) {
      const entry = held.get(seq);
      if (!entry) return undefined;
      held.delete(seq);
      bytes -= entry.bytes;
      return entry.event;
    },
    get size() {
      return held.size;
    },
    get bytes() {
      return bytes;
    },
  };
}
