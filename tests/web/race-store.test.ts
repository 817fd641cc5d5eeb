import { createEffect, createRoot } from "solid-js";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RaceState, StoredEvent } from "../../coordinator/protocol/race-state.ts";
import { replayEvents } from "../../web/src/lib/replay-events.ts";
import {
  createRaceStore,
  keptSamples,
  type RaceStore,
  type ViewerSocketFactory,
  type ViewerSocketHandlers,
  viewerUrl,
} from "../../web/src/stores/race-store.ts";
import { llmRaceEvents } from "./llm-race-fixture.ts";
import { computeRaceEvents } from "./race-fixture.ts";

/**
 * Plays the race room and the browser's frames: records what the store sends, lets the test
 * deliver messages (`receive`), run the pending animation frame (`frame`), or both (`push`).
 */
function fakeRoom() {
  let frames: (() => void)[] = [];
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
  const receive = (message: unknown) => latest().handlers.onMessage(JSON.stringify(message));
  const frame = () => {
    const due = frames;
    frames = [];
    for (const flush of due) flush();
  };
  return {
    sockets,
    factory,
    latest,
    scheduleFrame: (flush: () => void) => frames.push(flush),
    pendingFrames: () => frames.length,
    receive,
    frame,
    push: (message: unknown) => {
      receive(message);
      frame();
    },
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
      scheduleFrame: room.scheduleFrame,
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

  it("keeps each machine's runtime samples from the snapshot and the deltas, newest last, bounded", () => {
    const room = fakeRoom();
    const store = openStore(room);
    const sample = (agentId: string, at: number) => ({
      agent_id: agentId,
      at,
      cpu_percent: 50,
      memory_used_bytes: 1,
      gpus: [],
    });
    room.push({ type: "race-snapshot", state: stateAt(4), samples: [sample("a", 1), sample("b", 1)] });
    room.push({ type: "race-delta", events: [], samples: [sample("a", 2)] });
    expect(store.samples("a").map((s) => s.at)).toEqual([1, 2]);
    expect(store.samples("b").map((s) => s.at)).toEqual([1]);
    expect(store.samples("nobody")).toEqual([]);
    room.push({
      type: "race-delta",
      events: [],
      samples: Array.from({ length: keptSamples + 5 }, (_, i) => sample("a", 10 + i)),
    });
    expect(store.samples("a")).toHaveLength(keptSamples);
    expect(store.samples("a").at(-1)?.at).toBe(10 + keptSamples + 4);
    room.push({ type: "race-snapshot", state: stateAt(4), samples: [sample("b", 99)] });
    expect(store.samples("a")).toEqual([]);
    expect(store.samples("b").map((s) => s.at)).toEqual([99]);
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

  it("folds a burst of 100 deltas in one frame, publishing once", () => {
    const room = fakeRoom();
    const store = openStore(room);
    const llm = llmRaceEvents([{ name: "gamma", rates: [40] }]);
    const started = replayEvents(llm.slice(0, 4));
    if (!started) throw new Error("fixture has no setup");
    room.push({ type: "race-snapshot", state: started });
    const published: number[] = [];
    const stopWatching = createRoot((stop) => {
      createEffect(() => published.push(store.state()?.seq ?? -1));
      return stop;
    });
    expect(published).toEqual([4]);
    for (let i = 0; i < 100; i++) {
      const event = {
        type: "lane-event",
        lane_id: "lane-gamma",
        job_seq: 2 + i,
        event: { type: "job-text", repeat: 0, warmup: false, text: `w${i} `, tokens: i + 1, t_ms: 100 + i * 10 },
      };
      room.receive({ type: "race-delta", events: [{ seq: 5 + i, at: 20_000 + i, event }] });
    }
    expect(room.pendingFrames()).toBe(1);
    expect(store.state()?.seq).toBe(4);
    room.frame();
    expect(published).toEqual([4, 104]);
    expect(store.state()?.lanes[0]?.text.startsWith("w0 w1 w2 ")).toBe(true);
    expect(store.state()?.lanes[0]?.text.endsWith("w98 w99 ")).toBe(true);
    stopWatching();
  });

  describe("live figures", () => {
    const llm = llmRaceEvents([{ name: "gamma", rates: [40, 50] }]);
    /** setup, race-start, job-start, repeat-start of pass 0 */
    const passStarted = () => {
      const state = replayEvents(llm.slice(0, 4));
      if (!state) throw new Error("fixture has no setup");
      return state;
    };
    const live = (repeat: number, stats: Record<string, number | null>) => ({
      lane_id: "lane-gamma",
      repeat,
      warmup: false,
      stats,
    });

    it("keeps the room's latest live stats of the pass under way", () => {
      const room = fakeRoom();
      const store = openStore(room);
      room.push({ type: "race-snapshot", state: passStarted() });
      expect(store.live("lane-gamma")).toBeNull();
      room.receive({ type: "race-delta", events: [], live: [live(0, { ttft_ms: 180, tokens: 3, tokens_per_s: 30 })] });
      room.receive({
        type: "race-delta",
        events: [],
        live: [live(0, { ttft_ms: 180, tokens: 9, tokens_per_s: 42.5 })],
      });
      room.frame();
      expect(store.live("lane-gamma")?.stats).toEqual({ ttft_ms: 180, tokens: 9, tokens_per_s: 42.5 });
    });

    it("reads token count and rate from text chunks when the room sends no live stats", () => {
      const room = fakeRoom();
      const store = openStore(room);
      room.push({ type: "race-snapshot", state: passStarted() });
      room.push({ type: "race-delta", events: llm.slice(4, 6) });
      // chunks at 200 ms (2 tokens) and 250 ms (4 tokens): 2 tokens in 50 ms
      expect(store.live("lane-gamma")?.stats).toEqual({ elapsed_ms: 250, tokens: 4, tokens_per_s: 40 });
    });

    it("clears a lane's live figures when its pass finishes and ignores figures of a pass not under way", () => {
      const room = fakeRoom();
      const store = openStore(room);
      room.push({ type: "race-snapshot", state: passStarted() });
      room.push({ type: "race-delta", events: llm.slice(4, 6), live: [live(0, { tokens_per_s: 39 })] });
      expect(store.live("lane-gamma")?.stats.tokens_per_s).toBe(39);
      room.push({ type: "race-delta", events: llm.slice(6, 7) });
      expect(store.state()?.lanes[0]?.results).toHaveLength(1);
      expect(store.live("lane-gamma")).toBeNull();
      room.push({ type: "race-delta", events: [], live: [live(0, { tokens_per_s: 39 })] });
      expect(store.live("lane-gamma")).toBeNull();
      room.push({ type: "race-delta", events: llm.slice(7, 8), live: [live(1, { tokens_per_s: 51 })] });
      expect(store.live("lane-gamma")?.repeat).toBe(1);
      expect(store.live("lane-gamma")?.stats.tokens_per_s).toBe(51);
    });

    it("clears a lane's live figures when the lane ends", () => {
      const room = fakeRoom();
      const store = openStore(room);
      room.push({ type: "race-snapshot", state: passStarted() });
      room.push({ type: "race-delta", events: [], live: [live(0, { tokens_per_s: 39 })] });
      const lost = { type: "lane-lost", lane_id: "lane-gamma", error: { code: "agent_lost", message: "gone" } };
      room.push({ type: "race-delta", events: [{ seq: 5, at: 30_000, event: lost }] });
      expect(store.state()?.lanes[0]?.status).toBe("lost");
      expect(store.live("lane-gamma")).toBeNull();
    });
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
