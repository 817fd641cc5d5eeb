/**
 * Adapts a room core to a PartyKit party: sockets become `RoomConnection`s, control messages from
 * the API arrive as authenticated POSTs, and the sinks write to the API over HTTP with a shared
 * secret. Environment (partykit.json `vars` or `--var`): BENCH_AGENT_TOKEN, BENCH_API_URL,
 * BENCH_SINK_SECRET.
 */
import type * as Party from "partykit/server";
import { authorizeConnection, type PartyName, safeEqual } from "../room/authorize-connection.ts";
import type { ConnectionRole, Room, RoomConnection } from "../room/ports.ts";

export interface PartyEnv {
  agentToken: string;
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
  return { agentToken: get("BENCH_AGENT_TOKEN"), apiUrl: get("BENCH_API_URL"), sinkSecret: get("BENCH_SINK_SECRET") };
}

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

/** Refuses a socket before the upgrade when its URL does not authorize it. */
export function refuseUnauthorized(party: PartyName, req: Party.Request, lobby: Party.Lobby): Party.Request | Response {
  const decision = authorizeConnection(party, new URL(req.url), readPartyEnv(lobby.env).agentToken);
  if (decision.ok) return req;
  return Response.json({ error: { code: "unauthorized", message: decision.message } }, { status: decision.status });
}

/** The Party.Server methods of a room core. */
export function createPartyServer(party: PartyName, room: Party.Room, core: Room) {
  const env = () => readPartyEnv(room.env);
  /** who each socket is, settled at connect (the party does not hibernate, so memory holds it) */
  const roles = new Map<string, ConnectionRole>();
  const adapt = (conn: Party.Connection): RoomConnection => ({
    id: conn.id,
    who: roles.get(conn.id) ?? { role: "viewer" },
    send: (data) => conn.send(data),
    close: (code, reason) => conn.close(code, reason),
  });
  return {
    async onConnect(conn: Party.Connection, ctx: Party.ConnectionContext) {
      const decision = authorizeConnection(party, new URL(ctx.request.url), env().agentToken);
      if (!decision.ok) return conn.close(4001, decision.message);
      roles.set(conn.id, decision.who);
      await core.onConnect(adapt(conn));
    },
    async onMessage(message: string | ArrayBuffer | ArrayBufferView, conn: Party.Connection) {
      await core.onMessage(adapt(conn), typeof message === "string" ? message : new TextDecoder().decode(message));
    },
    async onClose(conn: Party.Connection) {
      await core.onClose(adapt(conn));
      roles.delete(conn.id);
    },
    async onRequest(req: Party.Request): Promise<Response> {
      const auth = req.headers.get("authorization") ?? "";
      if (!safeEqual(auth, `Bearer ${env().sinkSecret}`)) {
        return Response.json(
          { error: { code: "unauthorized", message: "Room control needs the sink secret." } },
          { status: 401 },
        );
      }
      if (req.method !== "POST")
        return Response.json({ error: { code: "bad_request", message: "POST a control message." } }, { status: 405 });
      const reply = await core.onControl(await req.json());
      return Response.json(reply.body, { status: reply.status });
    },
  };
}
