import { createRoot } from "solid-js";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RaceState, StoredEvent } from "../../coordinator/protocol/race-state.ts";
import { replayEvents } from "../../web/src/lib/replay-events.ts";
import {
  createRaceStore,
  type RaceStore,
  type ViewerSocketFactory,
  type ViewerSocketHandlers,
  viewerUrl,
} from "../../web/src/stores/race-store.ts";
import { computeRaceEvents } from "./race-fixture.ts";

/** Plays the race room: records what the store sends and lets the test push messages. */
function fakeRoom() {
  const sockets: { url: string; handlers: ViewerSocketHandlers; sent: string[]; closed: boolean }[] = [];
  const factory: ViewerSocketFactory = (url, handlers) => {
    const socket = { url, handlers, sent: [] as string[], closed: false };
    sockets.push(socket);
    return {
      send: (data) => socket.sent.push(data),
      close: () => {
        socket.closed = true;
      },
    };
  };
  const latest = () => {
    const socket = sockets.at(-1);
    if (!socket) throw new Error("no socket opened");
    return socket;
  };
  return {
    sockets,
    factory,
    latest,
    push: (message: unknown) => latest().handlers.onMessage(JSON.stringify(message)),
  };
}

const events = computeRaceEvents([
  { name: "alpha", elapsed: [1200] },
  { name: "beta", elapsed: [900] },
]);
/** The state after the first `count` events. */
const stateAt = (count: number): RaceState => {
  const state = replayEvents(events.slice(0, count));
  if (!state) throw new Error("fixture has no setup");
  return state;
};
const slice = (from: number, to: number): StoredEvent[] => events.filter((e) => e.seq >= from && e.seq <= to);

let dispose: (() => void) | null = null;
function openStore(room: ReturnType<typeof fakeRoom>, backoffMs = () => 1000): RaceStore {
  return createRoot((done) => {
    dispose = done;
    return createRaceStore({
      url: "ws://example/parties/race/run-1?role=viewer",
      createSocket: room.factory,
      backoffMs,
    });
  });
}

afterEach(() => {
  dispose?.();
  dispose = null;
  vi.useRealTimers();
});

describe("createRaceStore", () => {
  it("applies a snapshot, then deltas in order", () => {
    const room = fakeRoom();
    const store = openStore(room);
    expect(store.connection()).toBe("connecting");
    room.push({ type: "race-snapshot", state: stateAt(4) });
    expect(store.connection()).toBe("live");
    expect(store.state()?.seq).toBe(4);
    room.push({ type: "race-delta", events: slice(5, events.length) });
    expect(store.state()?.seq).toBe(events.length);
    expect(store.state()?.status).toBe("done");
    expect(store.state()?.lanes[1]?.results[0]?.metrics.elapsed_ms).toBe(900);
  });

  it("drops an event whose seq was already applied", () => {
    const room = fakeRoom();
    const store = openStore(room);
    room.push({ type: "race-snapshot", state: stateAt(6) });
    room.push({ type: "race-delta", events: slice(5, 7) });
    expect(store.state()?.seq).toBe(7);
    expect(store.state()?.lanes[0]?.lines).toEqual(["alpha pass 0 half"]);
    expect(room.latest().sent).toEqual([]);
  });

  it("requests a snapshot on a gap and ignores deltas until it comes", () => {
    const room = fakeRoom();
    const store = openStore(room);
    room.push({ type: "race-snapshot", state: stateAt(3) });
    room.push({ type: "race-delta", events: slice(6, 7) });
    expect(room.latest().sent.map((data) => JSON.parse(data))).toEqual([{ type: "snapshot-request" }]);
    expect(store.state()?.seq).toBe(3);
    room.push({ type: "race-delta", events: slice(4, 5) });
    expect(store.state()?.seq).toBe(3);
    room.push({ type: "race-snapshot", state: stateAt(7) });
    room.push({ type: "race-delta", events: slice(8, 8) });
    expect(store.state()?.seq).toBe(8);
  });

  it("shows the room's error messages", () => {
    const room = fakeRoom();
    const store = openStore(room);
    room.push({ type: "error", code: "forbidden", message: "Viewers cannot send commands." });
    expect(store.error()).toBe("Viewers cannot send commands.");
  });

  it("reconnects after the socket drops and takes the new snapshot", () => {
    vi.useFakeTimers();
    const room = fakeRoom();
    const store = openStore(room);
    room.push({ type: "race-snapshot", state: stateAt(3) });
    room.latest().handlers.onClose();
    expect(store.connection()).toBe("reconnecting");
    expect(room.sockets).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(room.sockets).toHaveLength(2);
    room.push({ type: "race-snapshot", state: stateAt(5) });
    expect(store.state()?.seq).toBe(5);
    expect(store.connection()).toBe("live");
  });

  it("does not reconnect once the race has finished", () => {
    vi.useFakeTimers();
    const room = fakeRoom();
    const store = openStore(room);
    room.push({ type: "race-snapshot", state: stateAt(events.length) });
    room.latest().handlers.onClose();
    vi.advanceTimersByTime(60_000);
    expect(room.sockets).toHaveLength(1);
    expect(store.connection()).toBe("closed");
  });

  it("closes the socket and stops reconnecting when the page closes it", () => {
    vi.useFakeTimers();
    const room = fakeRoom();
    const store = openStore(room);
    store.close();
    expect(room.latest().closed).toBe(true);
    room.latest().handlers.onClose();
    vi.advanceTimersByTime(60_000);
    expect(room.sockets).toHaveLength(1);
    expect(store.connection()).toBe("closed");
  });

  it("builds the viewer URL from the page's scheme and host", () => {
    expect(viewerUrl("abc", { protocol: "https:", host: "race.example" })).toBe(
      "wss://race.example/parties/race/abc?role=viewer",
    );
    expect(viewerUrl("abc", { protocol: "http:", host: "127.0.0.1:8080" })).toBe(
      "ws://127.0.0.1:8080/parties/race/abc?role=viewer",
    );
  });
});
