// Whether a lane has reached its start instant on the browser's clock. The room announces each
// lane's start (`lane-go`) a little ahead, and a lane of a replay or ghost race runs on a clock
// shifted from the browser's; progress bars hold still until the start, as the elapsed clock does.
import { createEffect, createSignal, onCleanup } from "solid-js";

/**
 * True once `now - shiftMs >= startAt`, and while there is no start instant (a race stored before
 * start instants counts from its own start). One timer, set for the start, wakes it; no ticking.
 */
export function createLaneStarted(startAt: () => number | null, shiftMs: () => number): () => boolean {
  const [now, setNow] = createSignal(Date.now());
  createEffect(() => {
    const start = startAt();
    if (start === null) return;
    const wait = start + shiftMs() - Date.now();
    if (wait <= 0) return void setNow(Date.now());
    const timer = setTimeout(() => setNow(Date.now()), wait);
    onCleanup(() => clearTimeout(timer));
  });
  return () => {
    const start = startAt();
    return start === null || now() - shiftMs() >= start;
  };
}
