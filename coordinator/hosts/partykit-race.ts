/** The `race` party on PartyKit: one race room core per run id. */
import type * as Party from "partykit/server";
import { createLogger } from "../protocol/logger.ts";
import { createRaceRoom } from "../room/race-room.ts";
import { systemClock } from "../room/system-clock.ts";
import { createPartyServer, postToApi, readPartyEnv, refuseUnauthorized } from "./partykit-server.ts";

export default class RaceParty implements Party.Server {
  private readonly server;

  constructor(readonly room: Party.Room) {
    const core = createRaceRoom({
      roomId: room.id,
      clock: systemClock,
      log: createLogger(`race:${room.id}`),
      sink: { write: (batch) => postToApi(readPartyEnv(room.env), `/api/internal/runs/${room.id}/batch`, batch) },
    });
    this.server = createPartyServer("race", room, core);
  }

  static onBeforeConnect(req: Party.Request, lobby: Party.Lobby) {
    return refuseUnauthorized("race", req, lobby);
  }

  onConnect(conn: Party.Connection, ctx: Party.ConnectionContext) {
    return this.server.onConnect(conn, ctx);
  }

  onMessage(message: string | ArrayBuffer | ArrayBufferView, conn: Party.Connection) {
    return this.server.onMessage(message, conn);
  }

  onClose(conn: Party.Connection) {
    return this.server.onClose(conn);
  }

  onRequest(req: Party.Request) {
    return this.server.onRequest(req);
  }
}

RaceParty satisfies Party.Worker;
