// The live view of one race: takes the room's snapshot, folds its deltas with the protocol's
// reducer, asks for a fresh snapshot when it sees a gap in seq, and reconnects with backoff when
// the socket drops. The socket is injected so tests can play the room.
import { createSignal } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { terminalRunStatuses } from "../../../coordinator/protocol/enums.ts";
import { raceToViewerSchema, type ViewerToRace } from "../../../coordinator/protocol/messages.ts";
import { applyRaceEvent, type RaceState, type StoredEvent } from "../../../coordinator/protocol/race-state.ts";

export interface ViewerSocket {
  send(data: string): void;
  close(): void;
}
export interface ViewerSocketHandlers {
  onOpen(): void;
  onMessage(data: string): void;
  onClose(): void;
}
export type ViewerSocketFactory = (url: string, handlers: ViewerSocketHandlers) => ViewerSocket;

/** connecting: no snapshot yet; live: following deltas; reconnecting: waiting to dial again; closed: done. */
export type RaceConnection = "connecting" | "live" | "reconnecting" | "closed";

export interface RaceStoreOptions {
  /** the room's viewer URL, e.g. from `viewerUrl` */
  url: string;
  /** shown until the first snapshot arrives, e.g. drawn from the API's RunView */
  initial?: RaceState | null;
  createSocket?: ViewerSocketFactory;
  /** milliseconds to wait before reconnect attempt `attempt` (from 0) */
  backoffMs?: (attempt: number) => number;
}

export interface RaceStore {
  state(): RaceState | null;
  connection(): RaceConnection;
  /** the room's last error message, if any */
  error(): string | null;
  close(): void;
}

export const browserSocket: ViewerSocketFactory = (url, handlers) => {
  const socket = new WebSocket(url);
  socket.onopen = () => handlers.onOpen();
  socket.onmessage = (event) => {
    if (typeof event.data === "string") handlers.onMessage(event.data);
  };
  socket.onclose = () => handlers.onClose();
  return socket;
};

const defaultBackoff = (attempt: number): number => Math.min(500 * 2 ** attempt, 10_000);

/** The viewer URL of a race room on this page's host. */
export function viewerUrl(runId: string, location: Pick<Location, "protocol" | "host"> = window.location): string {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}/parties/race/${encodeURIComponent(runId)}?role=viewer`;
}

export function createRaceStore(options: RaceStoreOptions): RaceStore {
  const createSocket = options.createSocket ?? browserSocket;
  const backoffMs = options.backoffMs ?? defaultBackoff;
  const [view, setView] = createStore<{ race: RaceState | null }>({ race: options.initial ?? null });
  const [connection, setConnection] = createSignal<RaceConnection>("connecting");
  const [error, setError] = createSignal<string | null>(null);

  let current: RaceState | null = options.initial ?? null;
  let haveSnapshot = false;
  let awaitingSnapshot = false;
  let socket: ViewerSocket | null = null;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const publish = (next: RaceState) => {
    current = next;
    setView("race", reconcile(next, { key: "lane_id", merge: false }));
  };
  const send = (message: ViewerToRace) => socket?.send(JSON.stringify(message));
  const finished = () => current !== null && haveSnapshot && terminalRunStatuses.includes(current.status);

  const applyDelta = (events: readonly StoredEvent[]) => {
    if (!haveSnapshot || awaitingSnapshot || current === null) return;
    let next: RaceState = current;
    for (const stored of events) {
      if (stored.seq <= next.seq) continue;
      if (stored.seq !== next.seq + 1) {
        awaitingSnapshot = true;
        send({ type: "snapshot-request" });
        break;
      }
      next = applyRaceEvent(next, stored);
    }
    if (next !== current) publish(next);
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
    const message = parsed.data;
    switch (message.type) {
      case "race-snapshot":
        haveSnapshot = true;
        awaitingSnapshot = false;
        setConnection("live");
        if (current === null || message.state.seq >= current.seq) publish(message.state);
        return;
      case "race-delta":
        applyDelta(message.events);
        return;
      case "error":
        setError(message.message);
        return;
    }
  };

  const connect = () => {
    timer = null;
    haveSnapshot = false;
    awaitingSnapshot = false;
    setConnection(attempt === 0 ? "connecting" : "reconnecting");
    const own: ViewerSocket = createSocket(options.url, {
      onOpen: () => {
        attempt = 0;
      },
      onMessage: (data) => {
        if (socket === own) onMessage(data);
      },
      onClose: () => {
        if (socket !== own) return;
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
    connection,
    error,
    close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      const open = socket;
      socket = null;
      open?.close();
      setConnection("closed");
    },
  };
}
