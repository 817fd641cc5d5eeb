/** The real clock for hosts; tests pass a fake one through the same port. */
import type { Clock } from "./ports.ts";

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};
