/**
 * Waits until an instant on the monotonic clock, to within a fraction of a millisecond: a timer
 * for the bulk of the wait (timers fire up to a few milliseconds late), then a spin on
 * `setImmediate` for the last few milliseconds, which keeps the event loop answering meanwhile.
 */

/** The part of a wait left to the spin. */
export const spinMs = 2;

export async function waitUntil(
  target: number,
  now: () => number,
  schedule: (fn: () => void, ms: number) => () => void,
  signal: AbortSignal,
): Promise<void> {
  const bulk = target - now() - spinMs;
  if (bulk > 0 && !signal.aborted) {
    await new Promise<void>((resolve) => {
      const cancel = schedule(done, bulk);
      signal.addEventListener("abort", done, { once: true });
      function done() {
        cancel();
        signal.removeEventListener("abort", done);
        resolve();
      }
    });
  }
  while (now() < target && !signal.aborted) await new Promise((resolve) => setImmediate(resolve));
}
