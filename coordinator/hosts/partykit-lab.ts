/**
 * The `lab` party on PartyKit (also the main party): agent presence and dispatch, and, as the
 * main party, the front door for every request that is not a room's (partykit-front-door.ts).
 */
import { createLabRoom } from "../room/lab-room.ts";
import { frontDoor } from "./partykit-front-door.ts";
import { createPartyLogger, definePartyServer, postToApi, readPartyEnv } from "./partykit-server.ts";

const LabServer = definePartyServer("lab", (room) =>
  createLabRoom({
    roomId: room.id,
    log: createPartyLogger(`lab:${room.id}`),
    sink: { write: (change) => postToApi(readPartyEnv(room.env), "/api/internal/fleet", change) },
  }),
);

export default class LabParty extends LabServer {
  static onFetch = frontDoor;
}
