// The live view of one race: takes the room's snapshot, folds its deltas with the protocol's
// reducer, asks for a fresh snapshot when it sees a gap in seq, and reconnects with backoff when
// the socket drops. Messages are buffered and folded together once per animation frame, so a burst
// of deltas costs one update of the page. The socket and the frame scheduler are injected for tests.
import { batch, createSignal } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { terminalRunStatuses } from "../../../coordinator/protocol/enums.ts";
import {
  type LaneLive,
  type RaceToViewer,
  raceToViewerSchema,
  type ViewerToRace,
} from "../../../coordinator/protocol/messages.ts";
import { decodePreviewFrame } from "../../../coordinator/protocol/preview-frame.ts";
import {
  applyRaceEvent,
  isTerminalLane,
  type LaneState,
  type RaceState,
  type StoredEvent,
} from "../../../coordinator/protocol/race-state.ts";
import type { MachineSample } from "../../../coordinator/protocol/runtime-sample.ts";
import { createSpeedRecorder, type SpeedSeries } from "../lib/speed-series.ts";
import { foldTextPace, type TextPace, toPaceStats } from "../lib/text-pace.ts";
import type { RaceConnection, RaceSource } from "./race-source.ts";

export interface ViewerSocket {
  send(data: string): void;
  close(): void;
}
export interface ViewerSocketHandlers {
  onOpen(): void;
  onMessage(data: string): void;
  /** a binary frame: a live image preview (protocol/preview-frame.ts) */
  onBinary?(data: Uint8Array): void;
  onClose(): void;
}
export type ViewerSocketFactory = (url: string, handlers: ViewerSocketHandlers) => ViewerSocket;
/** Runs `flush` before the next paint (the browser's requestAnimationFrame by default). */
export type FrameScheduler = (flush: () => void) => void;

export interface RaceStoreOptions {
  /** the room's viewer URL, e.g. from `viewerUrl` */
  url: string;
  /** shown until the first snapshot arrives, e.g. drawn from the API's RunView */
  initial?: RaceState | null;
  createSocket?: ViewerSocketFactory;
  /** milliseconds to wait before reconnect attempt `attempt` (from 0) */
  backoffMs?: (attempt: number) => number;
  scheduleFrame?: FrameScheduler;
}

/** The live race: the room's snapshot and deltas, its samples since this page joined. */
export interface RaceStore extends RaceSource {
  /** an object URL of the lane's newest live image preview; null when there is none */
  preview(laneId: string): string | null;
  close(): void;
}

export const browserSocket: ViewerSocketFactory = (url, handlers) => {
  const socket = new WebSocket(url);
  socket.binaryType = "arraybuffer";
  socket.onopen = () => handlers.onOpen();
  socket.onmessage = (event) => {
    if (typeof event.data === "string") handlers.onMessage(event.data);
    else if (event.data instanceof ArrayBuffer) handlers.onBinary?.(new Uint8Array(event.data));
  };
  socket.onclose = () => handlers.onClose();
  return socket;
};

const animationFrame: FrameScheduler = (flush) => {
  if (typeof requestAnimationFrame === "function") requestAnimationFrame(() => flush());
  else setTimeout(flush, 16);
};

/** Runtime samples kept per machine: five minutes at one a second. */
export const keptSamples = 300;

const defaultBackoff = (attempt: number): number => Math.min(500 * 2 ** attempt, 10_000);

/** The viewer URL of a race room on this page's host. */
export function viewerUrl(runId: string, location: Pick<Location, "protocol" | "host"> = window.location): string {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}/parties/race/${encodeURIComponent(runId)}?role=viewer`;
}

/** Whether figures of pass (repeat, warmup) still describe the lane: its pass under way, not yet finished. */
function passUnderWay(lane: LaneState | undefined, repeat: number, warmup: boolean): boolean {
  if (!lane || isTerminalLane(lane)) return false;
  const current = lane.current;
  if (!current || current.repeat !== repeat || current.warmup !== warmup) return false;
  return !lane.results.some((result) => result.repeat === repeat && result.warmup === warmup);
}

export function createRaceStore(options: RaceStoreOptions): RaceStore {
  const createSocket = options.createSocket ?? browserSocket;
  const backoffMs = options.backoffMs ?? defaultBackoff;
  const scheduleFrame = options.scheduleFrame ?? animationFrame;
  const [view, setView] = createStore<{
    race: RaceState | null;
    live: Record<string, LaneLive>;
    samples: Record<string, MachineSample[]>;
  }>({
    race: options.initial ?? null,
    live: {},
    samples: {},
  });
  const [connection, setConnection] = createSignal<RaceConnection>("connecting");
  const [error, setError] = createSignal<string | null>(null);
  const speedRecorder = createSpeedRecorder();
  const [speeds, setSpeeds] = createSignal<SpeedSeries>(speedRecorder.series());
  const [previews, setPreviews] = createStore<Record<string, string>>({});

  /** a preview frame becomes the lane's image; the one it replaces is released */
  const onBinary = (data: Uint8Array) => {
    const decoded = decodePreviewFrame(data);
    if (!decoded.ok || typeof URL.createObjectURL !== "function") return;
    const { id, media_type, bytes } = decoded.frame;
    const before = previews[id];
    setPreviews(id, URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: media_type })));
    if (before) URL.revokeObjectURL(before);
  };

  let current: RaceState | null = options.initial ?? null;
  let haveSnapshot = false;
  let awaitingSnapshot = false;
  let socket: ViewerSocket | null = null;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  /** messages received since the last frame, in arrival order */
  let pending: RaceToViewer[] = [];
  let frameScheduled = false;
  /** the room's latest live figures per lane, and the pace read from each lane's text chunks */
  const roomLive = new Map<string, LaneLive>();
  const textPace = new Map<string, TextPace>();

  const send = (message: ViewerToRace) => socket?.send(JSON.stringify(message));
  const finished = () => current !== null && haveSnapshot && terminalRunStatuses.includes(current.status);

  const foldDelta = (state: RaceState, events: readonly StoredEvent[]): RaceState => {
    let next = state;
    for (const stored of events) {
      if (stored.seq <= next.seq) continue;
      if (stored.seq !== next.seq + 1) {
        awaitingSnapshot = true;
        send({ type: "snapshot-request" });
        break;
      }
      next = applyRaceEvent(next, stored);
      speedRecorder.record(stored, next);
      const { event } = stored;
      if (event.type === "lane-event" && event.event.type === "job-text") {
        textPace.set(event.lane_id, foldTextPace(textPace.get(event.lane_id) ?? null, event.event));
      }
    }
    return next;
  };

  /** Live figures of the passes still under way: the room's over those read from text chunks. */
  const liveFigures = (state: RaceState | null): Record<string, LaneLive> => {
    const lanes = new Map(state?.lanes.map((lane) => [lane.lane_id, lane]));
    const figures: Record<string, LaneLive> = {};
    for (const [laneId, pace] of textPace) {
      if (passUnderWay(lanes.get(laneId), pace.repeat, pace.warmup)) {
        figures[laneId] = { lane_id: laneId, repeat: pace.repeat, warmup: pace.warmup, stats: toPaceStats(pace) };
      } else textPace.delete(laneId);
    }
    for (const [laneId, live] of roomLive) {
      if (!passUnderWay(lanes.get(laneId), live.repeat, live.warmup)) {
        roomLive.delete(laneId);
        continue;
      }
      const own = figures[laneId];
      const same = own && own.repeat === live.repeat && own.warmup === live.warmup;
      figures[laneId] = { ...live, stats: same ? { ...own.stats, ...live.stats } : live.stats };
    }
    return figures;
  };

  const flush = () => {
    frameScheduled = false;
    const messages = pending;
    pending = [];
    if (closed || messages.length === 0) return;
    let next = current;
    let nextError: string | null = null;
    let becameLive = false;
    let samples: Record<string, MachineSample[]> | null = null;
    const addSamples = (arrived: readonly MachineSample[]) => {
      samples ??= { ...view.samples };
      for (const sample of arrived)
        samples[sample.agent_id] = [...(samples[sample.agent_id] ?? []), sample].slice(-keptSamples);
    };
    for (const message of messages) {
      switch (message.type) {
        case "race-snapshot":
          haveSnapshot = true;
          awaitingSnapshot = false;
          becameLive = true;
          if (next === null || message.state.seq >= next.seq) next = message.state;
          samples = {};
          addSamples(message.samples ?? []);
          break;
        case "race-delta":
          if (!haveSnapshot || awaitingSnapshot || next === null) break;
          next = foldDelta(next, message.events);
          for (const live of message.live ?? []) roomLive.set(live.lane_id, live);
          addSamples(message.samples ?? []);
          break;
        case "error":
          nextError = message.message;
          break;
      }
    }
    const changed = next !== current;
    current = next;
    batch(() => {
      if (becameLive) setConnection("live");
      if (nextError !== null) setError(nextError);
      if (changed) {
        setView("race", reconcile(next, { key: "lane_id", merge: false }));
        setSpeeds(speedRecorder.series());
      }
      setView("live", reconcile(liveFigures(next)));
      if (samples) setView("samples", reconcile(samples));
    });
  };

  const onMessage = (data: string) => {
    let raw: unknown;
    try {
      raw = JSON.parse(data);
    } catch {
      setError("The race room sent a message that is not JSON.");
      return;
    }
    const parsed = raceToViewerSchema.safeParse(raw);
    if (!parsed.success) {
      setError("The race room sent a message this page does not understand; try reloading.");
      return;
    }
    pending.push(parsed.data);
    if (!frameScheduled) {
      frameScheduled = true;
      scheduleFrame(flush);
    }
  };

  const connect = () => {
    timer = null;
    haveSnapshot = false;
    awaitingSnapshot = false;
    pending = [];
    setConnection(attempt === 0 ? "connecting" : "reconnecting");
    const own: ViewerSocket = createSocket(options.url, {
      onOpen: () => {
        attempt = 0;
      },
      onMessage: (data) => {
        if (socket === own) onMessage(data);
      },
      onBinary: (data) => {
        if (socket === own) onBinary(data);
      },
      onClose: () => {
        if (socket !== own) return;
        // fold what this socket delivered first: its last snapshot may say the race is over
        flush();
        socket = null;
        if (closed || finished()) {
          setConnection("closed");
          return;
        }
        setConnection("reconnecting");
        timer = setTimeout(connect, backoffMs(attempt));
        attempt++;
      },
    });
    socket = own;
  };

  connect();

  return {
    state: () => view.race,
    live: (laneId) => view.live[laneId] ?? null,
    samples: (agentId) => view.samples[agentId] ?? [],
    preview: (laneId) => (view.live[laneId] ? (previews[laneId] ?? null) : null),
    connection,
    error,
    speeds,
    close() {
      closed = true;
      pending = [];
      if (timer !== null) clearTimeout(timer);
      timer = null;
      const open = socket;
      socket = null;
      open?.close();
      setConnection("closed");
    },
  };
}
