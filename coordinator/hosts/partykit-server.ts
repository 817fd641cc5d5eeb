/**
 * Adapts a room core to a PartyKit party: sockets become `RoomConnection`s (one per connection id,
 * since the cores compare connections by identity), control messages from the API arrive as POSTs
 * with the sink secret, the sinks write to the API over HTTP with that secret, and room state
 * lives in the Durable Object's storage. Environment (`--var` under `partykit dev`, secrets when
 * deployed): BENCH_AGENT_KEY_SECRET (the API's, so agent keys check out here), BENCH_API_URL,
 * BENCH_SINK_SECRET. Revocations live in the API's database: an agent's connect asks the API
 * (`GET /api/internal/agents/:id/revoked`), and a revoke closes its sockets through control
 * messages to the lab room and its live races. The operator key stays with the API too: an
 * operator's socket is let in when the API says what it presented is the operator's
 * (`POST /api/internal/operator-check`).
 */
import type * as Party from "partykit/server";
import type { OperatorCheck } from "../protocol/api.ts";
import { createLogger, type Logger } from "../protocol/logger.ts";
import { safeEqual } from "../protocol/safe-equal.ts";
import { type AgentCheck, authorizeConnection, type PartyName } from "../room/authorize-connection.ts";
import { createMessageGuard } from "../room/message-guard.ts";
import type { ConnectionRole, Room, RoomConnection, RoomStorage } from "../room/ports.ts";
import { createSocketsPerAddress, tooManySocketsReason } from "../room/sockets-per-address.ts";

export interface PartyEnv {
  agentKeySecret: string;
  apiUrl: string;
  sinkSecret: string;
}

export function readPartyEnv(env: Record<string, unknown>): PartyEnv {
  const get = (name: string) => {
    const value = env[name];
    if (typeof value !== "string" || value === "") {
      throw new Error(
        `${name} is not set: pass it with \`partykit dev --var ${name}=...\` or \`partykit env add ${name}\` before deploying.`,
      );
    }
    return value;
  };
  return {
    agentKeySecret: get("BENCH_AGENT_KEY_SECRET"),
    apiUrl: get("BENCH_API_URL"),
    sinkSecret: get("BENCH_SINK_SECRET"),
  };
}

/** PartyKit collects a party's console output as its log; there is no process.stderr there. */
export const createPartyLogger = (scope: string): Logger =>
  createLogger(scope, { format: "json", write: (line) => console.log(line) });

const connectLog = createPartyLogger("connect");

/**
 * Whether the API's records say the operator revoked this agent. The key itself was checked
 * already; when the API cannot answer (restarting) the agent is let in and the lapse logged, so a
 * race survives an API restart, and a revoke reaching the API later still closes its sockets.
 */
export async function isRevokedByApi(env: PartyEnv, agentId: string): Promise<boolean> {
  try {
    const response = await fetch(new URL(`/api/internal/agents/${encodeURIComponent(agentId)}/revoked`, env.apiUrl), {
      headers: { authorization: `Bearer ${env.sinkSecret}` },
    });
    if (!response.ok) throw new Error(`the API answered ${response.status}`);
    return ((await response.json()) as { revoked?: unknown }).revoked === true;
  } catch (error) {
    connectLog.warn("could not ask the API whether an agent is revoked; letting it in", {
      agent_id: agentId,
      error: String(error),
    });
    return false;
  }
}

/**
 * Whether the API says a socket's `key` parameter or Cookie header is the operator's. When the API
 * cannot answer, the socket is refused (the fleet's details are the operator's only) and the lapse
 * logged; the dashboard dials again.
 */
export async function isOperatorByApi(
  env: PartyEnv,
  key: string | null,
  cookieHeader: string | null,
): Promise<boolean> {
  if (!key && !cookieHeader) return false;
  try {
    const body: OperatorCheck = { key, cookie_header: cookieHeader };
    const response = await fetch(new URL("/api/internal/operator-check", env.apiUrl), {
      method: "POST",
      headers: { authorization: `Bearer ${env.sinkSecret}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`the API answered ${response.status}`);
    return ((await response.json()) as { operator?: unknown }).operator === true;
  } catch (error) {
    connectLog.warn("could not ask the API whether a socket is the operator's; refusing it", { error: String(error) });
    return false;
  }
}

const agentCheckOf = (env: Record<string, unknown>): AgentCheck => {
  const partyEnv = readPartyEnv(env);
  return {
    agentKeySecret: partyEnv.agentKeySecret,
    isRevoked: (agentId) => isRevokedByApi(partyEnv, agentId),
    isOperator: (key, cookieHeader) => isOperatorByApi(partyEnv, key, cookieHeader),
  };
};

/** POSTs JSON to the API's internal sink routes; throws on anything but a 2xx, so the caller retries. */
export function postToApi(env: PartyEnv, path: string, body: unknown): Promise<void> {
  return fetch(new URL(path, env.apiUrl), {
    method: "POST",
    headers: { authorization: `Bearer ${env.sinkSecret}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  }).then((response) => {
    if (!response.ok) throw new Error(`the API answered ${response.status} to ${path}`);
  });
}

/** The room's Durable Object storage behind the core's storage port. */
export const partyStorage = (room: Party.Room): RoomStorage => ({
  list: (prefix) => room.storage.list({ prefix }),
  get: (key) => room.storage.get(key),
  put: (entries) => room.storage.put(entries),
  deleteAll: () => room.storage.deleteAll(),
});

/** What a connection keeps across hibernation: who it is, settled at connect. */
interface ConnectionState {
  who: ConnectionRole;
}

/**
 * A PartyKit server class for one party: PartyKit wants a default-exported class with a static
 * `onBeforeConnect`, and this builds it around the room core that `createCore` makes per room.
 */
export function definePartyServer(party: PartyName, createCore: (room: Party.Room) => Room) {
  return class PartyServer implements Party.Server {
    private readonly core: Room;
    /** one adapted connection per socket: the core recognises a socket by its object */
    private readonly connections = new Map<string, RoomConnection>();
    /** the Node host's limits on each message's size and each socket's message rate */
    private readonly guard = createMessageGuard(() => Date.now());
    /** this room's sockets per client address, and each counted socket's address */
    private readonly perAddress = createSocketsPerAddress();
    private readonly addressOf = new Map<string, string>();

    constructor(readonly room: Party.Room) {
      this.core = createCore(room);
    }

    static async onBeforeConnect(req: Party.Request, lobby: Party.Lobby): Promise<Party.Request | Response> {
      const decision = await authorizeConnection(
        party,
        new URL(req.url),
        agentCheckOf(lobby.env),
        req.headers.get("cookie"),
      );
      if (decision.ok) return req;
      return Response.json({ error: { code: "unauthorized", message: decision.message } }, { status: decision.status });
    }

    onStart(): Promise<void> {
      return this.core.restore();
    }

    private adapt(conn: Party.Connection<ConnectionState>): RoomConnection {
      let adapted = this.connections.get(conn.id);
      if (!adapted) {
        adapted = {
          id: conn.id,
          who: conn.state?.who ?? { role: "viewer" },
          send: (data) => conn.send(data),
          close: (code, reason) => conn.close(code, reason),
        };
        this.connections.set(conn.id, adapted);
      }
      return adapted;
    }

    async onConnect(conn: Party.Connection<ConnectionState>, ctx: Party.ConnectionContext): Promise<void> {
      const decision = await authorizeConnection(
        party,
        new URL(ctx.request.url),
        agentCheckOf(this.room.env),
        ctx.request.headers.get("cookie"),
      );
      if (!decision.ok) return conn.close(4001, decision.message);
      // set by Cloudflare's edge, which overwrites what a client sends; absent under `partykit dev`
      const address = ctx.request.headers.get("cf-connecting-ip");
      if (address) {
        if (this.perAddress.full(address)) return conn.close(1008, tooManySocketsReason);
        this.perAddress.open(address);
        this.addressOf.set(conn.id, address);
      }
      conn.setState({ who: decision.who });
      await this.core.onConnect(this.adapt(conn));
    }

    async onMessage(message: string | ArrayBuffer | ArrayBufferView, conn: Party.Connection<ConnectionState>) {
      const raw =
        typeof message === "string"
          ? message
          : message instanceof ArrayBuffer
            ? new Uint8Array(message)
            : new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
      const adapted = this.adapt(conn);
      const refused = this.guard.check(adapted, raw);
      if (refused) return conn.close(refused.code, refused.reason);
      await this.core.onMessage(adapted, raw);
    }

    async onClose(conn: Party.Connection<ConnectionState>): Promise<void> {
      // workerd does not answer a client's close frame by itself: without this the client waits 30 s
      try {
        conn.close(1000, "closed");
      } catch {
        // already closed from this side
      }
      await this.release(conn);
    }

    /** a socket that errored may never close: the room lets it go now, once */
    async onError(conn: Party.Connection<ConnectionState>): Promise<void> {
      await this.release(conn);
    }

    private async release(conn: Party.Connection<ConnectionState>): Promise<void> {
      const address = this.addressOf.get(conn.id);
      if (address !== undefined) {
        this.addressOf.delete(conn.id);
        this.perAddress.close(address);
      }
      const adapted = this.connections.get(conn.id);
      if (!adapted) return;
      this.connections.delete(conn.id);
      this.guard.forget(adapted);
      await this.core.onClose(adapted);
    }

    async onRequest(req: Party.Request): Promise<Response> {
      const auth = req.headers.get("authorization") ?? "";
      if (!safeEqual(auth, `Bearer ${readPartyEnv(this.room.env).sinkSecret}`)) {
        return Response.json(
          {
            error: {
              code: "unauthorized",
              message: "Room control needs Authorization: Bearer <BENCH_SINK_SECRET>; only the API sends it.",
            },
          },
          { status: 401 },
        );
      }
      if (req.method !== "POST") {
        return Response.json({ error: { code: "bad_request", message: "POST a control message." } }, { status: 405 });
      }
      const body = await req.json().catch(() => null);
      const reply = await this.core.onControl(body);
      return Response.json(reply.body, { status: reply.status });
    }
  };
}
