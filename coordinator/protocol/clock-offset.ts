/**
 * An agent's clock against the room's, from a ping exchange (NTP-style). Each sample is a ping the
 * room stamped on sending and on receiving the answer, and the agent stamped when it answered: the
 * agent's reading is taken to be at the middle of the round trip. Queues and scheduling only ever
 * delay a message, so the samples with the shortest round trips are the truest: the estimate keeps
 * the fastest third and takes their median offset. Its uncertainty is half the shortest round trip
 * plus the room clock's resolution.
 */
import { z } from "zod";

export interface ClockSample {
  /** room clock when the ping left, ms since the Unix epoch */
  sent_at: number;
  /** agent clock when it answered, ms since the Unix epoch */
  agent_at: number;
  /** room clock when the answer arrived */
  received_at: number;
}

export const clockEstimateSchema = z.object({
  /** agent clock minus room clock, milliseconds */
  offset_ms: z.number(),
  /** the shortest round trip of the samples kept */
  rtt_ms: z.number().nonnegative(),
  /** the offset is right to within this many milliseconds */
  uncertainty_ms: z.number().nonnegative(),
  samples: z.number().int().positive(),
});
export type ClockEstimate = z.infer<typeof clockEstimateSchema>;

/** The room clock ticks in whole milliseconds (Date.now), so no estimate is better than this. */
export const roomClockResolutionMs = 1;

const round = (ms: number) => Math.round(ms * 100) / 100;

export function estimateClockOffset(samples: readonly ClockSample[]): ClockEstimate | null {
  const usable = samples
    .map((s) => ({ rtt: s.received_at - s.sent_at, offset: s.agent_at - (s.sent_at + s.received_at) / 2 }))
    .filter((s) => s.rtt >= 0 && Number.isFinite(s.offset))
    .sort((a, b) => a.rtt - b.rtt);
  if (usable.length === 0) return null;
  const fastest = usable.slice(0, Math.max(1, Math.ceil(usable.length / 3)));
  const offsets = fastest.map((s) => s.offset).sort((a, b) => a - b);
  const middle = offsets.length >> 1;
  const median = offsets.length % 2 === 1 ? offsets[middle] : ((offsets[middle - 1] ?? 0) + (offsets[middle] ?? 0)) / 2;
  const rtt = fastest[0]?.rtt ?? 0;
  return {
    offset_ms: round(median ?? 0),
    rtt_ms: round(rtt),
    uncertainty_ms: round(rtt / 2 + roomClockResolutionMs),
    samples: usable.length,
  };
}
