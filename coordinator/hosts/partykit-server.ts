/**
 * Adapts a room core to a PartyKit party: sockets become `RoomConnection`s, control messages from
 * the API arrive as authenticated POSTs, and the sinks write to the API over HTTP with a shared
 * secret. Environment (partykit.json `vars` or `--var`): BENCH_AGENT_KEY_SECRET (the API's, so agent
 * keys check out here), BENCH_API_URL, BENCH_SINK_SECRET. Revocations live in the API's database,
 * which rooms here do not read yet: a revoked agent is refused by the API, not yet by these rooms.
 */
import type * as Party from "partykit/server";
import { createLogger, type Logger } from "../protocol/logger.ts";
import { safeEqual } from "../protocol/safe-equal.ts";
import { type AgentCheck, authorizeConnection, type PartyName } from "../room/authorize-connection.ts";
import type { ConnectionRole, Room, RoomConnection } from "../room/ports.ts";

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
        `${name} is not set: pass it with \`partykit deploy --var ${name}=...\` or in partykit.json vars.`,
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

const agentCheckOf = (env: Record<string, unknown>): AgentCheck => ({
  agentKeySecret: readPartyEnv(env).agentKeySecret,
  isRevoked: () => false,
});

/** PartyKit collects a party's console output as its log; there is no process.stderr there. */
export const createPartyLogger = (scope: string): Logger => createLogger(scope, { write: (line) => console.log(line) });

/** POSTs JSON to the API's internal sink routes. */
export function postToApi(env: PartyEnv, path: string, body: unknown): Promise<void> {
  return fetch(new URL(path, env.apiUrl), {
    method: "POST",
    headers: { authorization: `Bearer ${env.sinkSecret}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  }).then((response) => {
    if (!response.ok) throw new Error(`the API answered ${response.status} to ${path}`);
  });
}

/**
 * A PartyKit server class for one party: PartyKit wants a default-exported class with a static
 * `onBeforeConnect`, and this builds it around the room core that `createCore` makes per room.
 */
export function definePartyServer(party: PartyName, createCore: (room: Party.Room) => Room) {
  return class PartyServer implements Party.Server {
    private readonly core: Room;
    /** who each socket is, settled at connect (the party does not hibernate, so memory holds it) */
    private readonly roles = new Map<string, ConnectionRole>();

    constructor(readonly room: Party.Room) {
      this.core = createCore(room);
    }

    static async onBeforeConnect(req: Party.Request, lobby: Party.Lobby): Promise<Party.Request | Response> {
      const decision = await authorizeConnection(party, new URL(req.url), agentCheckOf(lobby.env));
      if (decision.ok) return req;
      return Response.json({ error: { code: "unauthorized", message: decision.message } }, { status: decision.status });
    }

    private adapt(conn: Party.Connection): RoomConnection {
      return {
        id: conn.id,
        who: this.roles.get(conn.id) ?? { role: "viewer" },
        send: (data) => conn.send(data),
        close: (code, reason) => conn.close(code, reason),
      };
    }

    async onConnect(conn: Party.Connection, ctx: Party.ConnectionContext): Promise<void> {
      const decision = await authorizeConnection(party, new URL(ctx.request.url), agentCheckOf(this.room.env));
      if (!decision.ok) return conn.close(4001, decision.message);
      this.roles.set(conn.id, decision.who);
      await this.core.onConnect(this.adapt(conn));
    }

    async onMessage(message: string | ArrayBuffer | ArrayBufferView, conn: Party.Connection): Promise<void> {
      const raw =
        typeof message === "string"
          ? message
          : message instanceof ArrayBuffer
            ? new Uint8Array(message)
            : new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
      await this.core.onMessage(this.adapt(conn), raw);
    }

    async onClose(conn: Party.Connection): Promise<void> {
      await this.core.onClose(this.adapt(conn));
      this.roles.delete(conn.id);
    }

    async onRequest(req: Party.Request): Promise<Response> {
      const auth = req.headers.get("authorization") ?? "";
      if (!safeEqual(auth, `Bearer ${readPartyEnv(this.room.env).sinkSecret}`)) {
        return Response.json(
          { error: { code: "unauthorized", message: "Room control needs the sink secret." } },
          { status: 401 },
        );
      }
      if (req.method !== "POST") {
        return Response.json({ error: { code: "bad_request", message: "POST a control message." } }, { status: 405 });
      }
      const reply = await this.core.onControl(await req.json());
      return Response.json(reply.body, { status: reply.status });
    }
  };
}
