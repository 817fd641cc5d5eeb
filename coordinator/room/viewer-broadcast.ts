/**
 * Sends a race's viewers one frame per tick (about 50 ms) holding every stored event of the tick
 * and the latest live figures per lane, serialised once for all viewers. Stored events are never
 * dropped; live figures are left out for a viewer whose socket has not drained (a slow reader).
 */
import type { LaneLive, RaceToViewer } from "../protocol/messages.ts";
import type { StoredEvent } from "../protocol/race-state.ts";
import type { Clock, RoomConnection } from "./ports.ts";

/** Bytes queued on a viewer's socket above which it gets no live figures. */
export const slowViewerBytes = 256 * 1024;

export interface ViewerBroadcast {
  add(viewer: RoomConnection): void;
  remove(connId: string): void;
  /** queues a stored event for the next frame */
  event(stored: StoredEvent): void;
  /** the lane's newest live figures replace any not yet sent */
  live(item: LaneLive): void;
  /** sends the pending frame now (e.g. before a snapshot goes to someone) */
  flush(): void;
  viewers(): Iterable<RoomConnection>;
  dispose(): void;
}

export function createViewerBroadcast(clock: Clock, tickMs = 50): ViewerBroadcast {
  const viewers = new Map<string, RoomConnection>();
  let events: StoredEvent[] = [];
  const live = new Map<string, LaneLive>();
  let cancelTick: (() => void) | null = null;

  const flush = () => {
    cancelTick?.();
    cancelTick = null;
    if (events.length === 0 && live.size === 0) return;
    const full: RaceToViewer = { type: "race-delta", events, ...(live.size > 0 ? { live: [...live.values()] } : {}) };
    const fullText = JSON.stringify(full);
    const leanText = events.length > 0 ? JSON.stringify({ type: "race-delta", events }) : null;
    for (const viewer of viewers.values()) {
      const slow = live.size > 0 && (viewer.bufferedBytes?.() ?? 0) > slowViewerBytes;
      if (!slow) viewer.send(fullText);
      else if (leanText !== null) viewer.send(leanText);
    }
    events = [];
    live.clear();
  };
  const arm = () => {
    if (viewers.size === 0) {
      events = [];
      live.clear();
      return;
    }
    cancelTick ??= clock.setTimeout(flush, tickMs);
  };

  return {
    add: (viewer) => viewers.set(viewer.id, viewer),
    remove: (connId) => viewers.delete(connId),
    event(stored) {
      events.push(stored);
      arm();
    },
    live(item) {
      live.set(item.lane_id, item);
      arm();
    },
    flush,
    viewers: () => viewers.values(),
    dispose() {
      cancelTick?.();
      cancelTick = null;
    },
  };
}
