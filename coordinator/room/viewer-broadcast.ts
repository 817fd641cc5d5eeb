/**
 * Sends a race's viewers one frame per tick (about 50 ms) holding every stored event of the tick
 * and the latest live figures per lane, serialised once for all viewers, then the newest image
 * preview per lane as a binary frame. Stored events are never dropped; live figures and previews
 * are left out for a viewer whose socket has not drained (a slow reader), and
 * a viewer whose socket stays above a hard limit is closed, so a spectator that never reads cannot
 * grow the process without bound.
 */
import type { LaneLive, RaceToViewer } from "../protocol/messages.ts";
import type { StoredEvent } from "../protocol/race-state.ts";
import type { MachineSample } from "../protocol/runtime-sample.ts";
import type { Clock, RoomConnection } from "./ports.ts";

/** Bytes queued on a viewer's socket above which it gets no live figures. */
export const slowViewerBytes = 256 * 1024;
/** Bytes queued on a viewer's socket above which, held for `stuckViewerMs`, the viewer is closed. */
export const maxViewerBufferedBytes = 8 * 1024 * 1024;
/** How long a viewer's queue may stay above `maxViewerBufferedBytes`, in milliseconds. */
export const stuckViewerMs = 10_000;
/** The close code for a stuck viewer: 1013, "try again later". */
export const stuckViewerCloseCode = 1013;

export interface ViewerBroadcast {
  add(viewer: RoomConnection): void;
  remove(connId: string): void;
  /** queues a stored event for the next frame */
  event(stored: StoredEvent): void;
  /** the lane's newest live figures replace any not yet sent */
  live(item: LaneLive): void;
  /** a machine's runtime sample for the next frame (volatile, like live figures) */
  sample(item: MachineSample): void;
  /** the lane's newest preview frame (preview-frame.ts, already addressed to viewers) replaces any not yet sent */
  preview(laneId: string, frame: Uint8Array<ArrayBuffer>): void;
  /** sends the pending frame now (e.g. before a snapshot goes to someone) */
  flush(): void;
  /** sends one viewer a message (a snapshot), closing it instead if its queue stayed over the limit */
  send(viewer: RoomConnection, text: string): void;
  viewers(): Iterable<RoomConnection>;
  dispose(): void;
}

export function createViewerBroadcast(clock: Clock, tickMs = 50): ViewerBroadcast {
  const viewers = new Map<string, RoomConnection>();
  let events: StoredEvent[] = [];
  const live = new Map<string, LaneLive>();
  let samples: MachineSample[] = [];
  const previews = new Map<string, Uint8Array<ArrayBuffer>>();
  let cancelTick: (() => void) | null = null;
  /** since when each viewer's queue has been over the hard limit, epoch ms */
  const overSince = new Map<string, number>();

  /** false (and the viewer closed and dropped) when its queue has stayed over the hard limit too long */
  const keep = (viewer: RoomConnection): boolean => {
    const queued = viewer.bufferedBytes?.() ?? 0;
    if (queued <= maxViewerBufferedBytes) {
      overSince.delete(viewer.id);
      return true;
    }
    const since = overSince.get(viewer.id) ?? clock.now();
    overSince.set(viewer.id, since);
    if (clock.now() - since < stuckViewerMs) return true;
    viewers.delete(viewer.id);
    overSince.delete(viewer.id);
    viewer.close(
      stuckViewerCloseCode,
      `too slow: over ${maxViewerBufferedBytes} bytes unread for ${stuckViewerMs / 1000} s`,
    );
    return false;
  };
  const send = (viewer: RoomConnection, data: string | Uint8Array<ArrayBuffer>) => {
    if (keep(viewer)) viewer.send(data);
  };
  const isSlow = (viewer: RoomConnection) => (viewer.bufferedBytes?.() ?? 0) > slowViewerBytes;

  const flush = () => {
    cancelTick?.();
    cancelTick = null;
    // previews go as their own binary frames, never to a viewer that is behind
    const frames = [...previews.values()];
    previews.clear();
    for (const viewer of frames.length > 0 ? viewers.values() : []) {
      if (!isSlow(viewer)) for (const frame of frames) send(viewer, frame);
    }
    const volatile = live.size > 0 || samples.length > 0;
    if (events.length === 0 && !volatile) return;
    const full: RaceToViewer = {
      type: "race-delta",
      events,
      ...(live.size > 0 ? { live: [...live.values()] } : {}),
      ...(samples.length > 0 ? { samples } : {}),
    };
    const fullText = JSON.stringify(full);
    const leanText = events.length > 0 ? JSON.stringify({ type: "race-delta", events }) : null;
    for (const viewer of viewers.values()) {
      const slow = volatile && isSlow(viewer);
      if (!slow) send(viewer, fullText);
      else if (leanText !== null) send(viewer, leanText);
    }
    events = [];
    live.clear();
    samples = [];
  };
  const arm = () => {
    if (viewers.size === 0) {
      events = [];
      live.clear();
      samples = [];
      previews.clear();
      return;
    }
    cancelTick ??= clock.setTimeout(flush, tickMs);
  };

  return {
    add: (viewer) => viewers.set(viewer.id, viewer),
    remove(connId) {
      viewers.delete(connId);
      overSince.delete(connId);
    },
    event(stored) {
      events.push(stored);
      arm();
    },
    live(item) {
      live.set(item.lane_id, item);
      arm();
    },
    preview(laneId, frame) {
      previews.set(laneId, frame);
      arm();
    },
    sample(item) {
      samples.push(item);
      arm();
    },
    flush,
    send,
    viewers: () => viewers.values(),
    dispose() {
      cancelTick?.();
      cancelTick = null;
    },
  };
}
