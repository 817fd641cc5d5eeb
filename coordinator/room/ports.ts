/**
 * The small ports a room core runs on. Hosts (PartyKit, Node) implement them; the core never
 * imports Node, ws, partykit or the database.
 */
import type { FleetChange, RunBatch } from "../protocol/api.ts";
import type { Logger } from "../protocol/logger.ts";

/** Who is on the other end of a socket, settled by the host at connect time. */
export type ConnectionRole = { role: "agent"; agentId: string } | { role: "viewer" } | { role: "operator" };

export interface RoomConnection {
  /** unique per socket */
  readonly id: string;
  readonly who: ConnectionRole;
  /** a JSON text message, or a binary one (only live image previews are binary) */
  send(data: string | Uint8Array<ArrayBuffer>): void;
  close(code?: number, reason?: string): void;
  /** bytes queued on the socket and not yet sent, where the host can tell */
  bufferedBytes?(): number;
}

export interface Clock {
  /** milliseconds since the Unix epoch */
  now(): number;
  /** runs `fn` after `ms`; returns a function that cancels it */
  setTimeout(fn: () => void, ms: number): () => void;
}

/** Where a race room persists its events and state (the database, directly or over HTTP). */
export interface RunSink {
  write(batch: RunBatch): Promise<void>;
}

/**
 * A room's durable key-value store: Durable Object storage on PartyKit, where it outlives the
 * room's memory (hibernation, eviction, a redeploy), so a live race resumes. Local mode's rooms
 * live and die with their process and pass none; memory-storage.ts stands in for it in tests.
 */
export interface RoomStorage {
  /** every entry whose key starts with `prefix`, in key order */
  list(prefix: string): Promise<Map<string, unknown>>;
  get(key: string): Promise<unknown>;
  /** writes in the order called; a later read sees them */
  put(entries: Record<string, unknown>): Promise<void>;
  deleteAll(): Promise<void>;
}

/** Where the lab room reports agents coming and going. */
export interface FleetSink {
  write(change: FleetChange): Promise<void>;
}

/** What a room answers to a control request from the API. */
export interface ControlReply {
  status: number;
  body: unknown;
}

export interface Room {
  onConnect(conn: RoomConnection): Promise<void>;
  /** `raw`: a text frame as a string, a binary frame as its bytes */
  onMessage(conn: RoomConnection, raw: string | Uint8Array): Promise<void>;
  onClose(conn: RoomConnection): Promise<void>;
  /** reloads what the room's storage holds (a room brought back after eviction); hosts with durable storage call it before any socket or control */
  restore(): Promise<void>;
  /** a control message from the API (already authenticated by the host) */
  onControl(body: unknown): Promise<ControlReply>;
  /** resolves once everything handled so far has reached the room's sink */
  flushed(): Promise<void>;
  /** true when the room holds nothing a later connection needs, so a host may drop it once no socket is open */
  isIdle(): boolean;
  /** stops the room's timers; the host calls it when it drops the room or shuts down */
  dispose(): void;
}

export interface RaceRoomPorts {
  roomId: string;
  clock: Clock;
  sink: RunSink;
  /** where the race's events wait until the sink stored them, so the race survives the room's memory; none: not kept */
  storage?: RoomStorage;
  log: Logger;
  /** how long agents get to join after the race opens; default 30 s */
  joinTimeoutMs?: number;
  /** how long the first lanes get to be ready before the ready ones start without the rest; default 120 s */
  readyTimeoutMs?: number;
  /** how long a disconnected agent's lanes wait for it to come back; default 60 s */
  agentLostMs?: number;
  /** how long events wait to be written together; default 100 ms */
  sinkFlushMs?: number;
  /** how often viewers get a frame and agents a cumulative ack; default 50 ms */
  tickMs?: number;
}

export interface LabRoomPorts {
  roomId: string;
  sink: FleetSink;
  log: Logger;
}
