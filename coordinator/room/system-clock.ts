/** The real clock for hosts; tests pass a fake one through the same port. */
import type { Clock } from "./ports.ts";

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, ms);
    // a room's timer never keeps a Node process alive by itself (in workerd a timer is a number)
    if (typeof timer === "object") timer.unref();
    return () => clearTimeout(timer);
  },
};
