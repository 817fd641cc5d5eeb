/** The `lab` party on PartyKit (the main party): agent presence and dispatch. */
import type * as Party from "partykit/server";
import { createLogger } from "../protocol/logger.ts";
import { createLabRoom } from "../room/lab-room.ts";
import { createPartyServer, postToApi, readPartyEnv, refuseUnauthorized } from "./partykit-server.ts";

export default class LabParty implements Party.Server {
  private readonly server;

  constructor(readonly room: Party.Room) {
    const core = createLabRoom({
      roomId: room.id,
      log: createLogger(`lab:${room.id}`),
      sink: { write: (change) => postToApi(readPartyEnv(room.env), "/api/internal/fleet", change) },
    });
    this.server = createPartyServer("lab", room, core);
  }

  static onBeforeConnect(req: Party.Request, lobby: Party.Lobby) {
    return refuseUnauthorized("lab", req, lobby);
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

LabParty satisfies Party.Worker;
