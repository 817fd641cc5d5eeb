/**
 * Lets each key (a connection id) do something at most once per interval, on the room's clock.
 * The room uses it for spectators' snapshot requests, each of which sends a whole race state.
 */
import type { Clock } from "./ports.ts";

export interface RateLimit {
  /** true, and counts it, when `key` may act now; false when it acted less than the interval ago */
  allow(key: string): boolean;
  /** drops what is kept for `key` (its connection closed) */
  forget(key: string): void;
}

export function createRateLimit(clock: Clock, intervalMs: number): RateLimit {
  const last = new Map<string, number>();
  return {
    allow(key) {
      const now = clock.now();
      const previous = last.get(key);
      if (previous !== undefined && now - previous < intervalMs) return false;
      last.set(key, now);
      return true;
    },
    forget: (key) => void last.delete(key),
  };
}
