/**
 * Local mode's room host: serves `/parties/:party/:room` WebSocket upgrades on
 * @hono/node-server's built-in upgrade and keeps one room core instance per party and room id.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { upgradeWebSocket } from "@hono/node-server";
import type { Hono } from "hono";
import { keepAlive, type PingableSocket } from "../protocol/keep-alive.ts";
import type { Logger } from "../protocol/logger.ts";
import { type AgentCheck, authorizeConnection, isPartyName, type PartyName } from "../room/authorize-connection.ts";
import { createMessageGuard } from "../room/message-guard.ts";
import { maxMessageBytes } from "../room/parse-message.ts";
import type { ControlReply, Room, RoomConnection } from "../room/ports.ts";
import { createSocketsPerAddress, tooManySocketsMessage } from "../room/sockets-per-address.ts";

export interface NodeRoomHostOptions {
  agentCheck: AgentCheck;
  createRoom(party: PartyName, roomId: string): Room;
  /** milliseconds between heartbeat pings to every socket; default protocol/keep-alive.ts's */
  heartbeatMs?: number;
  /** true when a run with this id is stored: spectators may open only rooms of runs that exist */
  runExists(runId: string): boolean;
  log: Logger;
}

/**
 * Options for the `ws` WebSocketServer that @hono/node-server upgrades this host's sockets on: a
 * frame above the rooms' message limit is refused by ws before it is buffered (close code 1009).
 */
export const roomSocketServerOptions = { noServer: true, maxPayload: maxMessageBytes } as const;

export interface NodeRoomHost {
  /** mounts the WebSocket route on the app */
  mount(app: Hono): void;
  /** delivers a control message to a room, creating it if needed */
  control(party: PartyName, roomId: string, body: unknown): Promise<ControlReply>;
  /** the room, if it exists */
  room(party: PartyName, roomId: string): Room | undefined;
  /** closes every socket (agents reconnect by themselves) */
  closeAll(): void;
  /** closes every socket of one agent at once (it was revoked: it cannot reconnect) */
  disconnectAgent(agentId: string, reason: string): void;
  /** closes every socket, writes what rooms still hold to their sinks, and stops their timers */
  shutdown(): Promise<void>;
}

const roomIdPattern = /^[\w-]{1,100}$/;

/** How long a room with no socket and nothing live stays in memory: a finished race keeps answering spectators who reconnect for a while. */
const idleRoomTtlMs = 5 * 60_000;

export function createNodeRoomHost(options: NodeRoomHostOptions): NodeRoomHost {
  const rooms = new Map<string, Room>();
  const socketsPerIp = createSocketsPerAddress();
  const guard = createMessageGuard(() => performance.now());
  const sockets = new Set<RoomConnection>();
  /** open sockets per room key */
  const openCount = new Map<string, number>();
  /** when each room last opened or closed a socket (or was made), epoch ms */
  const lastActive = new Map<string, number>();
  const touch = (key: string) => lastActive.set(key, Date.now());
  const sweep = () => {
    for (const [key, room] of rooms) {
      const quietFor = Date.now() - (lastActive.get(key) ?? 0);
      if (openCount.has(key) || !room.isIdle() || quietFor < idleRoomTtlMs) continue;
      room.dispose();
      rooms.delete(key);
      lastActive.delete(key);
    }
  };
  const sweeper = setInterval(sweep, idleRoomTtlMs / 5);
  sweeper.unref();
  const release = (key: string) => {
    const left = (openCount.get(key) ?? 1) - 1;
    if (left > 0) openCount.set(key, left);
    else openCount.delete(key);
    touch(key);
  };
  const roomFor = (party: PartyName, roomId: string): Room => {
    const key = `${party}/${roomId}`;
    let room = rooms.get(key);
    if (!room) {
      room = options.createRoom(party, roomId);
      rooms.set(key, room);
      touch(key);
    }
    return room;
  };

  return {
    mount(app) {
      app.get("/parties/:party/:room", async (c, next) => {
        const party = c.req.param("party");
        const roomId = c.req.param("room");
        if (!isPartyName(party) || !roomIdPattern.test(roomId)) {
          return c.json({ error: { code: "not_found", message: `No party ${party} with room ${roomId}.` } }, 404);
        }
        const decision = await authorizeConnection(
          party,
          new URL(c.req.url),
          options.agentCheck,
          c.req.header("cookie") ?? null,
        );
        if (!decision.ok)
          return c.json({ error: { code: "unauthorized", message: decision.message } }, decision.status);
        if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
          return c.json(
            { error: { code: "bad_request", message: "This path takes WebSocket connections only." } },
            426,
          );
        }
        const key = `${party}/${roomId}`;
        // a spectator never creates a room: only a race that is open here or stored can be watched
        if (decision.who.role !== "agent" && !rooms.has(key) && !options.runExists(roomId)) {
          return c.json(
            {
              error: {
                code: "not_found",
                message: `No run ${roomId}: check the share link, or open the run from the runs list.`,
              },
            },
            404,
          );
        }
        const ip = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress ?? "unknown";
        if (socketsPerIp.full(ip)) {
          return c.json({ error: { code: "rate_limited", message: tooManySocketsMessage(ip) } }, 429);
        }
        const room = roomFor(party, roomId);
        let conn: RoomConnection | null = null;
        const upgrade = upgradeWebSocket(() => ({
          onOpen(_event, ws) {
            const socket: RoomConnection = {
              id: randomUUID(),
              who: decision.who,
              send: (data) => {
                if (ws.readyState === 1) ws.send(data);
              },
              close: (code, reason) => ws.close(code, reason),
              bufferedBytes: () => (ws.raw as { bufferedAmount?: number } | undefined)?.bufferedAmount ?? 0,
            };
            conn = socket;
            sockets.add(socket);
            socketsPerIp.open(ip);
            const raw = ws.raw as PingableSocket | undefined;
            if (raw) keepAlive(raw, options.heartbeatMs);
            openCount.set(key, (openCount.get(key) ?? 0) + 1);
            touch(key);
            room
              .onConnect(socket)
              .catch((err) => options.log.error("onConnect failed", { party, roomId, error: String(err) }));
          },
          onMessage(event) {
            if (!conn) return;
            // ws hands a text frame over as a string here and a binary frame as bytes
            const raw = typeof event.data === "string" ? event.data : new Uint8Array(event.data as ArrayBuffer);
            const refused = guard.check(conn, raw);
            if (refused) {
              conn.close(refused.code, refused.reason);
              return;
            }
            room
              .onMessage(conn, raw)
              .catch((err) => options.log.error("onMessage failed", { party, roomId, error: String(err) }));
          },
          onClose() {
            if (!conn) return;
            sockets.delete(conn);
            guard.forget(conn);
            socketsPerIp.close(ip);
            room
              .onClose(conn)
              .catch((err) => options.log.error("onClose failed", { party, roomId, error: String(err) }))
              .finally(() => release(key));
          },
        }));
        return upgrade(c, next);
      });
    },
    control: (party, roomId, body) => roomFor(party, roomId).onControl(body),
    room: (party, roomId) => rooms.get(`${party}/${roomId}`),
    closeAll() {
      for (const socket of sockets) socket.close(1001, "server shutting down");
    },
    disconnectAgent(agentId, reason) {
      for (const socket of sockets) {
        if (socket.who.role === "agent" && socket.who.agentId === agentId) socket.close(4001, reason);
      }
    },
    async shutdown() {
      clearInterval(sweeper);
      for (const socket of sockets) socket.close(1001, "server shutting down");
      await Promise.all([...rooms.values()].map((room) => room.flushed()));
      for (const room of rooms.values()) room.dispose();
    },
  };
}
